//! The AM's launch context, sent over the wire and run by the local runner: the executor sees its
//! arguments byte for byte, its identity in the environment, its staged resources, and credentials
//! without the AMRMToken.

mod common;

use common::*;
use prost::Message;
use spindle_launcher::ContainerSpec;
use spindle_launcher::context::{
    ExecutorId, ExecutorIdentity, LaunchTemplate, NamedResource, local_file_resource,
};
use spindle_protocol::credentials::Credentials;
use spindle_protocol::proto::yarn::{
    ContainerLaunchContextProto, LocalResourceTypeProto, LocalResourceVisibilityProto,
};
use spindle_protocol::token::{KIND_AMRM_TOKEN, Token};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_executor_launch_context_runs_on_the_local_runner() {
    let mut t = TestRunner::new();
    let staging = t.root().join("staging");
    std::fs::create_dir_all(&staging).unwrap();
    let exe = staging.join("executor.sh");
    std::fs::write(
        &exe,
        "#!/bin/bash\nprintf '%s\\n' \"$@\" > \"$OUT/args\"\nenv -0 > \"$OUT/env\"\ncp \"$HADOOP_TOKEN_FILE_LOCATION\" \"$OUT/tokens\"\necho to-stdout\necho to-stderr >&2\n",
    )
    .unwrap();
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&exe, std::fs::Permissions::from_mode(0o755)).unwrap();

    let mut creds = Credentials::new();
    creds.add_token(
        "",
        Token::new(b"amrm".to_vec(), b"pw".to_vec(), KIND_AMRM_TOKEN, ""),
    );
    creds.add_token(
        "dt",
        Token::new(
            b"dt".to_vec(),
            b"pw2".to_vec(),
            "HDFS_DELEGATION_TOKEN",
            "nn:8020",
        ),
    );
    let weird = "it's \"quoted\" $HOME `tick` back\\slash * two  spaces";
    let template = LaunchTemplate {
        program: vec!["{{PWD}}/exec/executor.sh".into()],
        args: vec!["--conf".into(), weird.into()],
        driver_url: "spindle://127.0.0.1:7077".into(),
        app_id: app(1),
        app_secret: Some("top$ecret\"x".into()),
        env: vec![("OUT".into(), "<LOG_DIR>".into())],
        resources: vec![NamedResource {
            link: "exec/executor.sh".into(),
            resource: local_file_resource(
                &exe,
                LocalResourceTypeProto::File,
                LocalResourceVisibilityProto::Application,
                None,
            )
            .unwrap(),
        }],
        credentials: Some(creds),
        view_acl: Some("tester".into()),
        modify_acl: Some("tester".into()),
        service_data: vec![],
    };
    let who = ExecutorIdentity {
        executor_id: ExecutorId(12),
        hostname: "node1.test".into(),
        cores: 3,
        resource_profile_id: 1,
    };
    let clc = template.build(&who).unwrap();
    // Over the wire and back, as StartContainers carries it.
    let clc = ContainerLaunchContextProto::decode(clc.encode_to_vec().as_slice()).unwrap();
    let spec =
        ContainerSpec::from_launch_context(&clc, &cid(1, 12).parse().unwrap(), "tester", 256, 3)
            .unwrap();
    let log_dir = t.log_dir(&spec);
    let exit = t.run(spec).await;
    assert_eq!(exit.exit_status, 0, "{}", exit.diagnostics);

    let args = std::fs::read_to_string(log_dir.join("args")).unwrap();
    let expected = [
        "--conf",
        weird,
        "--driver-url",
        "spindle://127.0.0.1:7077",
        "--executor-id",
        "12",
        "--hostname",
        "node1.test",
        "--cores",
        "3",
        "--app-id",
        &app(1),
        "--resource-profile-id",
        "1",
    ]
    .iter()
    .map(|a| format!("{a}\n"))
    .collect::<String>();
    assert_eq!(args, expected);
    let env = std::fs::read_to_string(log_dir.join("env")).unwrap();
    let has = |kv: &str| env.split('\0').any(|e| e == kv);
    assert!(has("SPINDLE_EXECUTOR_ID=12"));
    assert!(has("SPINDLE_EXECUTOR_CORES=3"));
    assert!(has("SPINDLE_RESOURCE_PROFILE_ID=1"));
    assert!(has(&format!("SPINDLE_APP_ID={}", app(1))));
    assert!(has("SPINDLE_DRIVER_URL=spindle://127.0.0.1:7077"));
    assert!(
        has("SPINDLE_APP_SECRET=top$ecret\"x"),
        "the secret arrives literally"
    );
    let tokens = Credentials::from_bytes(&std::fs::read(log_dir.join("tokens")).unwrap()).unwrap();
    assert!(tokens.token_by_kind(KIND_AMRM_TOKEN).is_none());
    assert_eq!(
        tokens
            .token_by_kind("HDFS_DELEGATION_TOKEN")
            .unwrap()
            .service,
        "nn:8020"
    );
    assert_eq!(
        std::fs::read_to_string(log_dir.join("stdout")).unwrap(),
        "to-stdout\n"
    );
    assert_eq!(
        std::fs::read_to_string(log_dir.join("stderr")).unwrap(),
        "to-stderr\n"
    );
}
