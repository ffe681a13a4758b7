//! Property tests: every id prints in Hadoop's form and parses back to itself.

use proptest::prelude::*;
use spindle_protocol::ids::*;

fn app_id() -> impl Strategy<Value = ApplicationId> {
    (0i64..=i64::MAX, 0i32..=i32::MAX).prop_map(|(ts, id)| ApplicationId::new(ts, id))
}

fn attempt_id() -> impl Strategy<Value = ApplicationAttemptId> {
    (app_id(), 0i32..=i32::MAX).prop_map(|(a, n)| ApplicationAttemptId::new(a, n))
}

proptest! {
    #[test]
    fn application_id_round_trips(id in app_id()) {
        let s = id.to_string();
        prop_assert!(s.starts_with("application_"));
        prop_assert_eq!(s.parse::<ApplicationId>().unwrap(), id);
        prop_assert_eq!(ApplicationId::from_proto(&id.to_proto()).unwrap(), id);
    }

    #[test]
    fn attempt_id_round_trips(id in attempt_id()) {
        let s = id.to_string();
        prop_assert_eq!(s.split('_').nth(3).unwrap().len() >= 6, true);
        prop_assert_eq!(s.parse::<ApplicationAttemptId>().unwrap(), id);
        prop_assert_eq!(ApplicationAttemptId::from_proto(&id.to_proto()).unwrap(), id);
    }

    #[test]
    fn container_id_round_trips(a in attempt_id(), epoch in 0i64..=MAX_CONTAINER_EPOCH, seq in 0i64..=CONTAINER_ID_BITMASK) {
        let id = ContainerId::with_epoch(a, epoch, seq).unwrap();
        let s = id.to_string();
        prop_assert_eq!(s.contains("_e"), epoch > 0);
        let back: ContainerId = s.parse().unwrap();
        prop_assert_eq!(back, id);
        prop_assert_eq!(back.epoch(), epoch);
        prop_assert_eq!(back.sequence(), seq);
        prop_assert_eq!(ContainerId::from_proto(&id.to_proto()).unwrap(), id);
    }

    #[test]
    fn node_id_round_trips(host in "[a-z0-9.-]{1,30}", port in 0i32..=65535) {
        let id = NodeId::new(host, port);
        prop_assert_eq!(id.to_string().parse::<NodeId>().unwrap(), id);
    }

    #[test]
    fn parsers_never_panic(s in ".{0,60}") {
        let _ = s.parse::<ApplicationId>();
        let _ = s.parse::<ApplicationAttemptId>();
        let _ = s.parse::<ContainerId>();
        let _ = s.parse::<NodeId>();
    }
}
