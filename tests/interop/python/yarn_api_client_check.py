"""Every GET method of the `yarn-api-client` package (PyPI), unpatched, against a cluster.

Usage: python yarn_api_client_check.py RM_URL NM_URL APP_ID ATTEMPT_ID CONTAINER_ID NODE_ID

Constructs `ResourceManager(service_endpoints=[RM_URL])` (which probes the RM's web UI at
`/cluster` first) and `NodeManager(service_endpoint=NM_URL)`, calls each read method, and prints
one line per method: `OK <method> <what came back>` or `FAIL <method> <error>`. `HADOOP_CONF_DIR`
must name the cluster's configuration folder (`cluster_node_container_memory` reads it).
Exits 0 when every call answered with data.
"""

import json
import sys

from yarn_api_client.node_manager import NodeManager
from yarn_api_client.resource_manager import ResourceManager

rm_url, nm_url, app, attempt, container, node = sys.argv[1:7]
failures = 0


def check(name, call, want):
    """Calls `call`; `want(data)` says whether the answer is the data expected."""
    global failures
    try:
        result = call()
        data = result.data if hasattr(result, "data") else result
        if want(data):
            print("OK", name, json.dumps(data)[:160])
        else:
            failures += 1
            print("FAIL", name, "unexpected answer:", json.dumps(data)[:400])
    except Exception as e:  # noqa: BLE001 - every failure is reported, none hides another
        failures += 1
        print("FAIL", name, type(e).__name__, str(e)[:400])
    sys.stdout.flush()


rm = ResourceManager(service_endpoints=[rm_url])
print("OK ResourceManager constructed, active endpoint", rm.get_active_endpoint())
nm = NodeManager(service_endpoint=nm_url)

check("cluster_information", rm.cluster_information, lambda d: d["clusterInfo"]["haState"] == "ACTIVE")
check("cluster_metrics", rm.cluster_metrics, lambda d: d["clusterMetrics"]["activeNodes"] >= 1)
check("cluster_scheduler", rm.cluster_scheduler, lambda d: d["scheduler"]["schedulerInfo"]["queueName"] == "root")
check("cluster_applications", rm.cluster_applications, lambda d: d["apps"]["app"][0]["id"] == app)
check(
    "cluster_applications(states)",
    lambda: rm.cluster_applications(states=["RUNNING"], application_types=["SPINDLE-INTEROP"]),
    lambda d: len(d["apps"]["app"]) == 1,
)
check(
    "cluster_application_statistics",
    lambda: rm.cluster_application_statistics(states=["RUNNING"]),
    lambda d: d["appStatInfo"]["statItem"][0]["count"] == 1,
)
check("cluster_application", lambda: rm.cluster_application(app), lambda d: d["app"]["state"] == "RUNNING")
check(
    "cluster_application_attempts",
    lambda: rm.cluster_application_attempts(app),
    lambda d: d["appAttempts"]["appAttempt"][0]["appAttemptId"] == attempt,
)
check(
    "cluster_application_attempt_info",
    lambda: rm.cluster_application_attempt_info(app, attempt),
    lambda d: d["appAttempt"]["appAttemptId"] == attempt,
)
check(
    "cluster_application_attempt_containers",
    lambda: rm.cluster_application_attempt_containers(app, attempt),
    lambda d: len(d["containers"]["container"]) >= 2,
)
check(
    "cluster_application_attempt_container_info",
    lambda: rm.cluster_application_attempt_container_info(app, attempt, container),
    lambda d: d["container"]["containerId"] == container,
)
check("cluster_application_state", lambda: rm.cluster_application_state(app), lambda d: d["state"] == "RUNNING")
check("cluster_nodes", rm.cluster_nodes, lambda d: len(d["nodes"]["node"]) >= 1)
check("cluster_nodes(states)", lambda: rm.cluster_nodes(states=["RUNNING"]), lambda d: len(d["nodes"]["node"]) >= 1)
check("cluster_node", lambda: rm.cluster_node(node), lambda d: d["node"]["id"] == node)
check("cluster_get_application_queue", lambda: rm.cluster_get_application_queue(app), lambda d: d["queue"] == "default")
check(
    "cluster_get_application_priority",
    lambda: rm.cluster_get_application_priority(app),
    lambda d: d["priority"] == 0,
)
check("cluster_node_container_memory", rm.cluster_node_container_memory, lambda d: d > 0)
check("cluster_scheduler_queue", lambda: rm.cluster_scheduler_queue("default"), lambda d: d["queueName"] == "default")
check(
    "cluster_queue_partition",
    lambda: rm.cluster_queue_partition(rm.cluster_scheduler_queue("default"), ""),
    lambda d: d["partitionName"] == "",
)
check(
    "cluster_scheduler_queue_availability",
    lambda: rm.cluster_scheduler_queue_availability(
        rm.cluster_queue_partition(rm.cluster_scheduler_queue("default"), ""), 100
    ),
    lambda d: d is True,
)
check("cluster_reservations", rm.cluster_reservations, lambda d: d["reservations"] == [])
check(
    "cluster_application_timeouts",
    lambda: rm.cluster_application_timeouts(app),
    lambda d: d["timeouts"]["timeout"][0]["type"] == "LIFETIME",
)
check(
    "cluster_application_timeout",
    lambda: rm.cluster_application_timeout(app, "LIFETIME"),
    lambda d: d["timeout"]["expiryTime"] == "UNLIMITED",
)
check(
    "cluster_scheduler_conf_mutation",
    rm.cluster_scheduler_conf_mutation,
    lambda d: any(p["name"] == "yarn.scheduler.capacity.root.queues" for p in d["property"]),
)
check("scheduler_activities", rm.scheduler_activities, lambda d: "activities" in d)
check("application_activities", lambda: rm.application_activities(app), lambda d: d["appActivities"]["applicationId"] == app)

check("node_information", nm.node_information, lambda d: d["nodeInfo"]["id"] == node)
check("node_applications", nm.node_applications, lambda d: d["apps"]["app"][0]["id"] == app)
check("node_application", lambda: nm.node_application(app), lambda d: d["app"]["id"] == app)
check("node_containers", nm.node_containers, lambda d: len(d["containers"]["container"]) >= 1)
check("node_container", lambda: nm.node_container(container), lambda d: d["container"]["id"] == container)
check("auxiliary_services", nm.auxiliary_services, lambda d: d == {"services": {}})

print("DONE", failures)
sys.exit(1 if failures else 0)
