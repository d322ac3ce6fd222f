#!/usr/bin/env python3
"""A STAND-IN for Neon's HTTP API (v2), for Slipway's tests only: the real API cannot be reached
from the test machines. It answers the endpoints Slipway calls, in the shapes of Neon's API
reference (README.md beside this file cites each), and keeps their state (projects, branches
with their parents and timestamps, operations) so tests read results back from it.

    python3 standin.py --key KEY --seed JSON

JSON is {"projects": [{"id", "history_retention_seconds"}], "branches": [{"project_id", "id",
"name", "created_at"?}]}. It binds a free loopback port, prints `port N` and serves under
/api/v2 until its standard input closes. Hooks that are not Neon's: GET /__standin/state (every
project, branch and operation), GET /__standin/log (the calls received), and POST
/__standin/fault {"status": S, "count": N, "method": M?, "lost": L?} (the next N API calls, of
method M when given, answer S; with L true the call is done first and only its answer is lost).
"""
import argparse
import datetime
import json
import sys
import threading
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

PROJECTS = {}
BRANCHES = {}
OPERATIONS = {}
LOG = []
FAULTS = []
LOCK = threading.Lock()
ARGS = None
PREFIX = "/api/v2"


def now():
    return datetime.datetime.now(datetime.timezone.utc)


def stamp(moment):
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def parse_time(text):
    return datetime.datetime.fromisoformat(text.replace("Z", "+00:00"))


def new_operation(project_id, branch_id, action):
    operation = {
        "id": str(uuid.uuid4()), "project_id": project_id, "branch_id": branch_id, "action": action,
        "status": "running", "failures_count": 0, "created_at": stamp(now()), "updated_at": stamp(now()),
    }
    OPERATIONS[operation["id"]] = operation
    return operation


def public(branch):
    return {key: value for key, value in branch.items() if not key.startswith("_")}


def find_branch(project_id, key):
    for branch in BRANCHES.values():
        if branch["project_id"] == project_id and (branch["id"] == key or branch["name"] == key):
            return branch
    return None


def within_history(project, branch, moment):
    """Neon restores only within the project's history window, and not before the branch began."""
    earliest = max(now() - datetime.timedelta(seconds=project["history_retention_seconds"]), parse_time(branch["created_at"]))
    return earliest <= moment <= now()


class Handler(BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def answer(self, status, body):
        if getattr(self, "lost", None):
            status, body = self.lost, {"code": "", "message": "Service Unavailable (a fault the test asked for, after doing the call)"}
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def failure(self, status, message):
        # Neon's error body: {"code": "...", "message": "..."}
        return self.answer(status, {"code": "", "message": message})

    def body(self):
        length = int(self.headers.get("Content-Length", "0"))
        return json.loads(self.rfile.read(length) or b"{}") if length else {}

    def hook(self, method, path):
        if method == "GET" and path == "/__standin/state":
            return self.answer(200, {"projects": list(PROJECTS.values()), "branches": [public(b) for b in BRANCHES.values()],
                                     "operations": list(OPERATIONS.values())})
        if method == "GET" and path == "/__standin/log":
            return self.answer(200, list(LOG))
        if method == "POST" and path == "/__standin/fault":
            body = self.body()
            fault = {"status": int(body.get("status", 503)), "method": body.get("method"), "lost": bool(body.get("lost"))}
            FAULTS.extend([fault] * int(body.get("count", 1)))
            return self.answer(200, {"faults": len(FAULTS)})
        return self.failure(404, "no such hook")

    def handle_call(self, method):
        path = urlsplit(self.path).path
        with LOCK:
            if path.startswith("/__standin/"):
                return self.hook(method, path)
            body = self.body() if method == "POST" else None
            LOG.append({"method": method, "path": path, "body": body})
            fault = next((f for f in FAULTS if f["method"] in (None, method)), None)
            if fault is not None:
                FAULTS.remove(fault)
                if fault["lost"]:
                    self.lost = fault["status"]
                else:
                    return self.failure(fault["status"], "Service Unavailable (a fault the test asked for)")
            if self.headers.get("Authorization") != "Bearer " + ARGS.key:
                return self.failure(401, "authentication required")
            if not path.startswith(PREFIX + "/projects/"):
                return self.failure(404, "not found")
            parts = path[len(PREFIX) + 1:].split("/")
            project = PROJECTS.get(parts[1])
            if project is None:
                return self.failure(404, "project not found")
            return self.route(method, parts[2:], project, body)

    def route(self, method, rest, project, body):
        if method == "GET" and rest == []:
            return self.answer(200, {"project": project})
        if method == "GET" and rest == ["branches"]:
            return self.answer(200, {"branches": [public(b) for b in BRANCHES.values() if b["project_id"] == project["id"]]})
        if method == "GET" and len(rest) == 2 and rest[0] == "branches":
            branch = find_branch(project["id"], rest[1])
            return self.answer(200, {"branch": public(branch)}) if branch else self.failure(404, "branch not found")
        if method == "GET" and len(rest) == 2 and rest[0] == "operations":
            operation = OPERATIONS.get(rest[1])
            if operation is None:
                return self.failure(404, "operation not found")
            answer = dict(operation)
            # Running on the first look, finished after: the caller has to poll.
            operation["status"] = "finished"
            operation["updated_at"] = stamp(now())
            return self.answer(200, {"operation": answer})
        if method == "POST" and rest == ["branches"]:
            return self.create_branch(project, body)
        if method == "POST" and len(rest) == 3 and rest[0] == "branches" and rest[2] == "restore":
            return self.restore_branch(project, rest[1], body)
        return self.failure(404, "not found")

    def create_branch(self, project, body):
        wanted = body.get("branch", {})
        parent = find_branch(project["id"], wanted.get("parent_id", "")) if wanted.get("parent_id") else \
            next((b for b in BRANCHES.values() if b["project_id"] == project["id"] and b.get("default")), None)
        if parent is None:
            return self.failure(400, "parent branch not found")
        if wanted.get("name") and find_branch(project["id"], wanted["name"]):
            return self.failure(409, "branch with name %s already exists" % wanted["name"])
        moment = now()
        if wanted.get("parent_timestamp"):
            moment = parse_time(wanted["parent_timestamp"])
            if not within_history(project, parent, moment):
                return self.failure(400, "parent_timestamp %s is outside the history retention window" % wanted["parent_timestamp"])
        branch = {
            "id": "br-" + uuid.uuid4().hex[:12], "project_id": project["id"], "parent_id": parent["id"],
            "parent_timestamp": stamp(moment), "parent_lsn": "0/%X" % int(moment.timestamp()),
            "name": wanted.get("name") or "br-" + uuid.uuid4().hex[:6], "current_state": "init", "default": False,
            "protected": False, "created_at": stamp(now()), "updated_at": stamp(now()),
        }
        BRANCHES[branch["id"]] = branch
        operations = [new_operation(project["id"], branch["id"], "create_branch")]
        endpoints = []
        for endpoint in body.get("endpoints", []):
            endpoint_id = "ep-" + uuid.uuid4().hex[:12]
            endpoints.append({"id": endpoint_id, "project_id": project["id"], "branch_id": branch["id"],
                              "type": endpoint.get("type", "read_write"), "host": endpoint_id + ".standin.neon.invalid"})
            operations.append(new_operation(project["id"], branch["id"], "start_compute"))
        return self.answer(201, {"branch": public(branch), "endpoints": endpoints, "operations": operations,
                                 "roles": [], "databases": [], "connection_uris": []})

    def restore_branch(self, project, branch_id, body):
        branch = find_branch(project["id"], branch_id)
        if branch is None or branch["id"] != branch_id:
            return self.failure(404, "branch not found")
        source = find_branch(project["id"], body.get("source_branch_id", ""))
        if source is None:
            return self.failure(400, "source_branch_id is required")
        if source["id"] == branch["id"] and not (body.get("source_timestamp") or body.get("source_lsn")):
            return self.failure(400, "source_timestamp or source_lsn is required when restoring a branch from itself")
        moment = parse_time(body["source_timestamp"]) if body.get("source_timestamp") else now()
        if not within_history(project, source, moment):
            return self.failure(400, "source_timestamp %s is outside the history retention window" % body.get("source_timestamp"))
        operations = []
        if body.get("preserve_under_name"):
            if find_branch(project["id"], body["preserve_under_name"]):
                return self.failure(409, "branch with name %s already exists" % body["preserve_under_name"])
            preserved = dict(branch)
            preserved.update({"id": "br-" + uuid.uuid4().hex[:12], "name": body["preserve_under_name"], "default": False,
                              "created_at": stamp(now()), "updated_at": stamp(now()), "_state_of": branch["id"]})
            BRANCHES[preserved["id"]] = preserved
            operations.append(new_operation(project["id"], preserved["id"], "create_branch"))
        branch.update({"last_reset_at": stamp(now()), "updated_at": stamp(now()),
                       "restored_from": {"source_branch_id": source["id"], "source_timestamp": stamp(moment)}})
        operations.append(new_operation(project["id"], branch["id"], "apply_config"))
        return self.answer(200, {"branch": public(branch), "operations": operations})

    def do_GET(self):
        self.handle_call("GET")

    def do_POST(self):
        self.handle_call("POST")


def main():
    global ARGS
    parser = argparse.ArgumentParser()
    parser.add_argument("--key", required=True)
    parser.add_argument("--seed", required=True)
    ARGS = parser.parse_args()
    seed = json.loads(ARGS.seed)
    for project in seed.get("projects", []):
        project.setdefault("name", project["id"])
        project.setdefault("created_at", stamp(now() - datetime.timedelta(days=60)))
        PROJECTS[project["id"]] = project
    for branch in seed.get("branches", []):
        branch.setdefault("created_at", stamp(now() - datetime.timedelta(days=60)))
        branch.setdefault("updated_at", branch["created_at"])
        branch.setdefault("parent_id", None)
        branch.setdefault("default", branch.get("parent_id") is None)
        branch.setdefault("current_state", "ready")
        branch.setdefault("protected", False)
        BRANCHES[branch["id"]] = branch
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    print("port %d" % server.server_address[1], flush=True)
    sys.stdin.read()
    server.shutdown()


if __name__ == "__main__":
    main()
