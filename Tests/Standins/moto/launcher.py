#!/usr/bin/env python3
"""moto's AWS API emulator (PyPI `moto[server]`) as Slipway's tests and `slipway demo --cloud` run
it: moto's own server on a free loopback port, with three things added in front of it.

    python3 launcher.py [--deny FILE] [--detached]

- moto's `update-service` keeps the service's PRIMARY deployment on its old task definition,
  where ECS starts a new primary deployment with the new one; this makes moto do as ECS does,
  finished at once (moto runs no tasks).
- faults (tests): a request signed with an access key starting `DENIED`, or calling an action
  named in the `--deny` file (one per line), is answered 403 with the body AWS gives an unknown key.
- percentile statistics (`p95`, as `TargetResponseTime` and `Duration` are read): moto answers
  None for them, and its serializer then fails the whole `get-metric-data` call with a 500; this
  computes them over the datapoints' values by nearest rank, as CloudWatch does over its samples.
- simulated traffic (the demo): `POST /__standin/traffic {"listener", "rate", "error_percent",
  "response_time"}` puts, every 10 s, the ALB metrics CloudWatch would record for `rate` requests
  a second split between the listener's target groups by its weights at that moment.

It binds port 0 and prints `port N`. It serves until its standard input closes (a test holds the
other end), or with `--detached` until it is sent SIGTERM (the demo's agent stops it).
"""
import argparse, io, json, math, os, random, sys, threading, time
from moto.cloudwatch import models as cloudwatch
from moto.ecs import models as ecs
from moto.server import DomainDispatcherApplication, create_backend_app
from moto.moto_server.threaded_moto_server import MotoRequestHandler
from werkzeug.serving import make_server

parser = argparse.ArgumentParser()
parser.add_argument("--deny")
parser.add_argument("--detached", action="store_true")
ARGS = parser.parse_args()
TRAFFIC = []
LOCK = threading.Lock()
original_update_service = ecs.EC2ContainerServiceBackend.update_service


def update_service(self, properties):
    new_definition = properties.get("task_definition")
    service = original_update_service(self, properties)
    if new_definition and service.deployments:
        service.deployments[0]["taskDefinition"] = service.task_definition
        service.deployments[0]["rolloutState"] = "COMPLETED"
    return service


ecs.EC2ContainerServiceBackend.update_service = update_service
original_statistic = cloudwatch.Statistics.get_statistics_for_type


def statistic(self, stat):
    value = original_statistic(self, stat)
    if value is not None or not stat.startswith("p"):
        return value
    try:
        rank = float(stat[1:])
    except ValueError:
        return None
    values = sorted(self.metric_single_values_list)
    if not values:
        # Datapoints sent as statistic sets keep no samples: their maximum bounds any percentile.
        return self.maximum
    return values[max(0, math.ceil(rank / 100 * len(values)) - 1)]


cloudwatch.Statistics.get_statistics_for_type = statistic
moto = DomainDispatcherApplication(create_backend_app)


def denied(environ, body):
    authorization = environ.get("HTTP_AUTHORIZATION", "")
    if "Credential=DENIED" in authorization:
        return True
    if not ARGS.deny:
        return False
    with open(ARGS.deny) as handle:
        actions = [line.strip() for line in handle if line.strip()]
    target = environ.get("HTTP_X_AMZ_TARGET", "").split(".")[-1]
    text = body.decode("utf-8", "replace")
    return any(target == action or ("Action=" + action + "&") in (text + "&") for action in actions)


def answer(start_response, status, payload, headers):
    start_response(status, headers + [("Content-Length", str(len(payload)))])
    return [payload]


def app(environ, start_response):
    length = int(environ.get("CONTENT_LENGTH") or 0)
    body = environ["wsgi.input"].read(length) if length else b""
    environ["wsgi.input"] = io.BytesIO(body)
    if environ.get("PATH_INFO") == "/__standin/traffic" and environ.get("REQUEST_METHOD") == "POST":
        with LOCK:
            TRAFFIC.append(json.loads(body))
        return answer(start_response, "200 OK", b"{}", [("Content-Type", "application/json")])
    if not denied(environ, body):
        return moto(environ, start_response)
    message = "The security token included in the request is invalid."
    if "json" in environ.get("CONTENT_TYPE", "") or environ.get("PATH_INFO", "").startswith("/20"):
        payload = ('{"__type":"UnrecognizedClientException","message":"%s"}' % message).encode()
        headers = [("Content-Type", "application/json"), ("x-amzn-ErrorType", "UnrecognizedClientException")]
    else:
        payload = ("<ErrorResponse><Error><Type>Sender</Type><Code>InvalidClientTokenId</Code><Message>%s</Message>"
                   "</Error><RequestId>denied</RequestId></ErrorResponse>" % message).encode()
        headers = [("Content-Type", "text/xml")]
    return answer(start_response, "403 Forbidden", payload, headers)


def simulate_traffic(port):
    import boto3
    session = boto3.session.Session(aws_access_key_id="standin", aws_secret_access_key="standin", region_name="eu-west-2")
    endpoint = "http://127.0.0.1:%d" % port
    elbv2 = session.client("elbv2", endpoint_url=endpoint)
    cloudwatch = session.client("cloudwatch", endpoint_url=endpoint)
    tick = 10
    while True:
        time.sleep(tick)
        with LOCK:
            flows = list(TRAFFIC)
        for flow in flows:
            try:
                put_traffic(elbv2, cloudwatch, flow, tick)
            except Exception as error:  # a listener deleted under the demo: its traffic stops, the others go on
                print("traffic to %s: %s" % (flow.get("listener"), error), file=sys.stderr, flush=True)


def put_traffic(elbv2, cloudwatch, flow, tick):
    listener = elbv2.describe_listeners(ListenerArns=[flow["listener"]])["Listeners"][0]
    balancer = listener["LoadBalancerArn"].split("loadbalancer/", 1)[1]
    forward = next(action for action in listener["DefaultActions"] if action["Type"] == "forward")
    groups = forward.get("ForwardConfig", {}).get("TargetGroups") or [{"TargetGroupArn": forward["TargetGroupArn"], "Weight": 1}]
    total = sum(group.get("Weight", 1) for group in groups) or 1
    data = []
    for group in groups:
        requests = int(round(flow.get("rate", 10) * tick * group.get("Weight", 1) / total))
        if requests == 0:
            continue
        target_group = "targetgroup/" + group["TargetGroupArn"].split("targetgroup/", 1)[1]
        # In Slipway's order (by name): moto matches a query's dimensions in the order they were put.
        dimensions = [{"Name": "LoadBalancer", "Value": balancer}, {"Name": "TargetGroup", "Value": target_group}]
        errors = int(round(requests * flow.get("error_percent", 0) / 100))
        data.append({"MetricName": "RequestCount", "Dimensions": dimensions, "Value": requests, "Unit": "Count"})
        data.append({"MetricName": "HTTPCode_Target_5XX_Count", "Dimensions": dimensions, "Value": errors, "Unit": "Count"})
        latency = flow.get("response_time", 0.05)
        for _ in range(5):
            data.append({"MetricName": "TargetResponseTime", "Dimensions": dimensions,
                         "Value": round(latency * random.uniform(0.7, 1.4), 4), "Unit": "Seconds"})
    if data:
        cloudwatch.put_metric_data(Namespace="AWS/ApplicationELB", MetricData=data)


def watch_input():
    # The test process holds the other end: when it goes, so does moto.
    while sys.stdin.buffer.read(1024):
        pass
    os._exit(0)


server = make_server("127.0.0.1", 0, app, threaded=True, request_handler=MotoRequestHandler)
port = server.server_address[1]
print("port %d" % port, flush=True)
threading.Thread(target=simulate_traffic, args=(port,), daemon=True).start()
if not ARGS.detached:
    threading.Thread(target=watch_input, daemon=True).start()
server.serve_forever()
