#!/usr/bin/env python3
"""A STAND-IN for Cloudflare's API v4, for Slipway's tests only: the real API cannot be reached
from the test machines. It keeps state (Worker versions and deployments, Pages projects and their
deployments, zones and DNS records, invocation analytics) so what Slipway did reads back, and it answers in the shapes of Cloudflare's
API documentation for just the endpoints Slipway calls (README.md beside this file cites them).

    python3 standin.py --token TOKEN [--account ACCOUNT_ID]

It binds a free loopback port, prints `port N` and serves until its standard input closes (the
test process holds the other end, so it never outlives the test), or with `--detached` until it is
sent SIGTERM (`slipway demo --cloud` runs it so, and the demo's agent stops it). Endpoints under /__standin/
are the tests' hooks, not Cloudflare's: seed zones and Pages projects, inject faults, drive traffic,
read state, and serve a Pages deployment's files as its *.pages.dev address would.
"""
import argparse
import base64
import email.parser
import email.policy
import json
import re
import sys
import threading
import time
import uuid
from datetime import datetime, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

import blake3  # PyPI's blake3 (scripts/test-requirements.txt): Pages names assets by this hash

PREFIX = "/client/v4"
LOCK = threading.RLock()
STATE = {"scripts": {}, "pages": {}, "zones": {}, "invocations": [], "traffic": {}, "faults": [], "log": [],
         "assets": {}, "upload_tokens": {}, "uploaded": []}
ARGS = None


def now_text(seconds=None):
    moment = datetime.fromtimestamp(time.time() if seconds is None else seconds, timezone.utc)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def parse_time(text):
    text = text.replace("Z", "+00:00")
    return datetime.fromisoformat(text).timestamp()


def envelope(result, success=True, errors=None, result_info=None):
    body = {"success": success, "errors": errors or [], "messages": [], "result": result}
    if result_info is not None:
        body["result_info"] = result_info
    return body


def failure(code, message):
    return envelope(None, success=False, errors=[{"code": code, "message": message}])


def script(account, name, create=False):
    key = account + "/" + name
    if key not in STATE["scripts"] and create:
        STATE["scripts"][key] = {"account": account, "name": name, "versions": [], "deployments": []}
    return STATE["scripts"].get(key)


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def do_GET(self):
        self.handle_any("GET")

    def do_POST(self):
        self.handle_any("POST")

    def do_PATCH(self):
        self.handle_any("PATCH")

    def reply(self, status, body, headers=None):
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(data)

    def handle_any(self, method):
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        parts = urlsplit(self.path)
        path, query = parts.path, parse_qs(parts.query)
        if path.startswith("/__standin/pages/") and method == "GET":
            return self.serve_pages(path)
        if path.startswith("/__standin/"):
            return self.control(method, path, body)
        entry = {"method": method, "path": path, "time": time.time()}
        with LOCK:
            STATE["log"].append(entry)
            fault = None
            for candidate in STATE["faults"]:
                if candidate["count"] > 0 and candidate.get("method", method) == method and candidate["path"] in path:
                    candidate["count"] -= 1
                    fault = dict(candidate)
                    break
        if fault and fault.get("hang"):
            time.sleep(fault["hang"])
        authorization = self.headers.get("Authorization", "")
        if path.startswith(PREFIX + "/pages/assets/"):
            # The asset endpoints take the project's upload token (a JWT), not the API token.
            if authorization[len("Bearer "):] not in STATE["upload_tokens"]:
                entry["status"] = 401
                return self.reply(401, failure(8000000, "Invalid upload token"))
        elif authorization != "Bearer " + ARGS.token:
            entry["status"] = 401
            return self.reply(401, failure(10000, "Authentication error"))
        if fault and fault.get("status") and not fault.get("apply"):
            entry["status"] = fault["status"]
            return self.fault_reply(fault)
        status, answer = self.route(method, path, query, body)
        if fault and fault.get("status") and fault.get("apply"):
            # The change was made, the answer is lost: what a dropped connection looks like.
            entry["status"] = fault["status"]
            return self.fault_reply(fault)
        entry["status"] = status
        self.reply(status, answer)

    def fault_reply(self, fault):
        status = fault["status"]
        headers = {}
        if status == 429:
            headers["Retry-After"] = str(fault.get("retry_after", 1))
            return self.reply(429, failure(971, "Please wait and consider throttling your request speed"), headers)
        if status in (401, 403):
            return self.reply(status, failure(10000, "Authentication error"))
        return self.reply(status, failure(10013, "Internal server error (injected by the stand-in)"))

    def control(self, method, path, body):
        payload = json.loads(body or b"{}")
        with LOCK:
            if path == "/__standin/state":
                return self.reply(200, {k: STATE[k] for k in ("scripts", "pages", "zones", "uploaded")})
            if path == "/__standin/pages/projects" and method == "POST":
                name = payload["name"]
                STATE["pages"][ARGS.account + "/" + name] = {
                    "id": str(uuid.uuid4()), "name": name, "subdomain": name + ".pages.dev",
                    "production_branch": payload.get("production_branch", "main"), "created_on": now_text(),
                    "deployments": [], "canonical": None}
                return self.reply(200, {"ok": True})
            if path == "/__standin/log":
                return self.reply(200, STATE["log"])
            if path == "/__standin/faults/clear" and method == "POST":
                STATE["faults"].clear()
                return self.reply(200, {"ok": True})
            if path == "/__standin/faults" and method == "POST":
                STATE["faults"].append({"count": 1, **payload})
                return self.reply(200, {"ok": True})
            if path == "/__standin/zones" and method == "POST":
                zone_id = uuid.uuid4().hex
                records = {}
                for record in payload.get("records", []):
                    record_id = uuid.uuid4().hex
                    records[record_id] = {"id": record_id, "zone_id": zone_id, "zone_name": payload["name"],
                                          "proxied": False, "ttl": 1, **record}
                STATE["zones"][zone_id] = {"id": zone_id, "name": payload["name"], "status": "active", "records": records}
                return self.reply(200, {"id": zone_id})
            if path == "/__standin/invocations" and method == "POST":
                found = script(ARGS.account, payload["script"])
                ids = [v["id"] for v in (found or {}).get("versions", []) if v["annotations"].get("workers/tag") == payload["tag"]]
                if not ids:
                    return self.reply(404, {"error": "no version tagged " + payload["tag"]})
                STATE["invocations"].append({"script": payload["script"], "version": ids[0],
                                             "time": time.time() - payload.get("seconds_ago", 0),
                                             "requests": payload["requests"], "errors": payload.get("errors", 0),
                                             "wall_time_us": payload.get("wall_time_us", 20000)})
                return self.reply(200, {"ok": True})
            if path == "/__standin/traffic" and method == "POST":
                STATE["traffic"][payload["script"]] = payload
                return self.reply(200, {"ok": True})
        return self.reply(404, {"error": "no such stand-in hook"})

    def route(self, method, path, query, body):
        if not path.startswith(PREFIX):
            return 404, failure(7000, "No route for that URI")
        path = path[len(PREFIX):]
        with LOCK:
            if path.startswith("/pages/assets/") and method == "POST":
                return self.assets(path[len("/pages/assets/"):], body)
            match = re.fullmatch(r"/accounts/([^/]+)/pages/projects/([^/]+)/upload-token", path)
            if match and method == "GET":
                if match.group(1) != ARGS.account or STATE["pages"].get(match.group(1) + "/" + match.group(2)) is None:
                    return 404, failure(8000007, "Project not found. The specified project name does not match any of your existing projects.")
                token = "standin-upload-jwt." + uuid.uuid4().hex
                STATE["upload_tokens"][token] = match.group(1) + "/" + match.group(2)
                return 200, envelope({"jwt": token})
            match = re.fullmatch(r"/accounts/([^/]+)/pages/projects/([^/]+)(?:/deployments(?:/([^/]+)(/rollback)?)?)?", path)
            if match:
                return self.pages(method, path, match.group(1), match.group(2), match.group(3), match.group(4), query, body)
            match = re.fullmatch(r"/accounts/([^/]+)/workers/scripts/([^/]+)/(versions|deployments)(?:/([^/]+))?", path)
            if match:
                return self.workers(method, match.group(1), match.group(2), match.group(3), match.group(4), query, body)
            if path == "/zones" and method == "GET":
                name = query.get("name", [None])[0]
                zones = [{"id": z["id"], "name": z["name"], "status": z["status"]} for z in STATE["zones"].values()
                         if name is None or z["name"] == name]
                return 200, envelope(zones, result_info={"page": 1, "per_page": 20, "count": len(zones), "total_count": len(zones)})
            match = re.fullmatch(r"/zones/([^/]+)/dns_records(?:/([^/]+))?", path)
            if match:
                return self.dns(method, match.group(1), match.group(2), query, body)
            if path == "/graphql" and method == "POST":
                return self.graphql(json.loads(body or b"{}"))
        return 404, failure(7000, "No route for that URI")

    def workers(self, method, account, name, kind, item, query, body):
        if account != ARGS.account:
            return 403, failure(10000, "Authentication error")
        found = script(account, name, create=(method == "POST" and kind == "versions"))
        if found is None:
            return 404, failure(10007, "This Worker does not exist on your account.")
        if kind == "versions" and method == "GET" and item:
            version = next((v for v in found["versions"] if v["id"] == item), None)
            return (200, envelope(public_version(version))) if version else (404, failure(10007, "version not found"))
        if kind == "versions" and method == "GET":
            page = int(query.get("page", ["1"])[0])
            per_page = int(query.get("per_page", ["10"])[0])
            newest = list(reversed(found["versions"]))
            items = [public_version(v) for v in newest[(page - 1) * per_page: page * per_page]]
            return 200, envelope({"items": items}, result_info={"page": page, "per_page": per_page, "count": len(items),
                                                                 "total_count": len(newest)})
        if kind == "versions" and method == "POST":
            metadata, modules = parse_upload(self.headers.get("Content-Type", ""), body)
            if metadata is None or metadata.get("main_module") not in modules:
                return 400, failure(10021, "Uploaded script has no main module matching metadata.main_module")
            version = {
                "id": str(uuid.uuid4()), "number": len(found["versions"]) + 1,
                "metadata": {"author_email": "standin@example.com", "created_on": now_text(), "source": "api"},
                "annotations": {k: v for k, v in (metadata.get("annotations") or {}).items()},
                "resources": {"script": {"handlers": ["fetch"]}, "bindings": metadata.get("bindings", [])},
                "modules": modules,
            }
            found["versions"].append(version)
            return 200, envelope(public_version(version))
        if kind == "deployments" and method == "GET":
            return 200, envelope({"deployments": list(reversed(found["deployments"]))})
        if kind == "deployments" and method == "POST":
            request = json.loads(body or b"{}")
            versions = request.get("versions", [])
            known = {v["id"] for v in found["versions"]}
            if request.get("strategy") != "percentage" or not 1 <= len(versions) <= 2:
                return 400, failure(10021, "strategy must be percentage with one or two versions")
            if any(v.get("version_id") not in known for v in versions):
                return 400, failure(10021, "version not found")
            if abs(sum(float(v.get("percentage", 0)) for v in versions) - 100) > 1e-9:
                return 400, failure(10021, "percentages must add up to 100")
            deployment = {"id": str(uuid.uuid4()), "created_on": now_text(), "source": "api", "strategy": "percentage",
                          "author_email": "standin@example.com", "annotations": request.get("annotations", {}),
                          "versions": [{"version_id": v["version_id"], "percentage": float(v["percentage"])} for v in versions]}
            found["deployments"].append(deployment)
            return 200, envelope(deployment)
        return 405, failure(10000, "method not allowed")

    def pages(self, method, path, account, name, item, rollback, query, body):
        if account != ARGS.account:
            return 403, failure(10000, "Authentication error")
        project = STATE["pages"].get(account + "/" + name)
        if project is None:
            return 404, failure(8000007, "Project not found. The specified project name does not match any of your existing projects.")
        deployments = project["deployments"]
        if not path.endswith("/deployments") and item is None and method == "GET":
            return 200, envelope(public_project(project, self.server_base()))
        if item is None and method == "GET":
            page = int(query.get("page", ["1"])[0])
            per_page = int(query.get("per_page", ["25"])[0])
            newest = list(reversed(deployments))
            items = [public_deployment(d, project, self.server_base()) for d in newest[(page - 1) * per_page: page * per_page]]
            return 200, envelope(items, result_info={"page": page, "per_page": per_page, "count": len(items),
                                                     "total_count": len(newest)})
        if item is None and method == "POST":
            fields = parse_form(self.headers.get("Content-Type", ""), body)
            try:
                manifest = json.loads(fields.get("manifest", b"null"))
            except ValueError:
                manifest = None
            if not isinstance(manifest, dict) or not manifest:
                return 400, failure(8000096, "A manifest of the files to deploy is required")
            if any(key not in STATE["assets"] for key in manifest.values()):
                return 400, failure(8000096, "A file the manifest names was not uploaded")
            # Not Cloudflare's check: the stand-in hashes each asset as wrangler does
            # (blake3 of its base64 and its extension, 32 hex digits), to prove Slipway names them alike.
            for site_path, key in manifest.items():
                extension = site_path.rsplit(".", 1)[1] if "." in site_path.rsplit("/", 1)[-1] else ""
                expected = blake3.blake3((STATE["assets"][key]["value"] + extension).encode()).hexdigest()[:32]
                if expected != key:
                    return 400, failure(8000096, "%s: its content hashes to %s, not %s" % (site_path, expected, key))
            branch = fields.get("branch", b"").decode() or project["production_branch"]
            deployment = {
                "id": str(uuid.uuid4()), "short_id": uuid.uuid4().hex[:8], "project_id": project["id"],
                "project_name": name, "created_on": now_text(), "is_skipped": False, "source": None,
                "environment": "production" if branch == project["production_branch"] else "preview",
                "deployment_trigger": {"type": "ad_hoc", "metadata": {
                    "branch": branch, "commit_hash": fields.get("commit_hash", b"").decode(),
                    "commit_message": fields.get("commit_message", b"").decode(),
                    "commit_dirty": fields.get("commit_dirty", b"false").decode() == "true"}},
                "latest_stage": {"name": "deploy", "status": "success", "started_on": now_text(), "ended_on": now_text()},
                "files": {path: base64.b64decode(STATE["assets"][key]["value"]).decode("utf-8", "replace")
                          for path, key in manifest.items()},
                "content_types": {path: STATE["assets"][key]["content_type"] for path, key in manifest.items()},
            }
            deployments.append(deployment)
            if deployment["environment"] == "production":
                # A direct upload to the production branch serves production once it succeeds.
                project["canonical"] = deployment["id"]
            return 200, envelope(public_deployment(deployment, project, self.server_base()))
        found = next((d for d in deployments if d["id"] == item), None)
        if found is None:
            return 404, failure(8000009, "Deployment not found")
        if rollback and method == "POST":
            if found["environment"] != "production" or found["latest_stage"]["status"] != "success":
                return 400, failure(8000035, "Only successful production deployments can be rolled back to")
            project["canonical"] = found["id"]
            return 200, envelope(public_deployment(found, project, self.server_base()))
        if not rollback and method == "GET":
            return 200, envelope(public_deployment(found, project, self.server_base()))
        return 405, failure(10000, "method not allowed")

    def assets(self, action, body):
        """Pages' asset store, as wrangler's `pages deploy` uses it: content keyed by hash."""
        try:
            payload = json.loads(body or b"null")
        except ValueError:
            payload = None
        if action == "check-missing" and isinstance(payload, dict):
            return 200, envelope([h for h in payload.get("hashes", []) if h not in STATE["assets"]])
        if action == "upload" and isinstance(payload, list):
            for item in payload:
                if not item.get("base64") or not isinstance(item.get("value"), str):
                    return 400, failure(8000096, "each upload is {key, value (base64), metadata, base64: true}")
                STATE["assets"][item["key"]] = {"value": item["value"],
                                                "content_type": item.get("metadata", {}).get("contentType")}
                STATE["uploaded"].append(item["key"])
            return 200, envelope({"successful_key_count": len(payload), "unsuccessful_keys": []})
        if action == "upsert-hashes" and isinstance(payload, dict):
            unknown = [h for h in payload.get("hashes", []) if h not in STATE["assets"]]
            if unknown:
                return 400, failure(8000096, "unknown hashes: %s" % ", ".join(unknown))
            return 200, envelope(None)
        return 400, failure(8000096, "not a request the stand-in knows: %s" % action)

    def server_base(self):
        return "http://127.0.0.1:%d" % self.server.server_address[1]

    def serve_pages(self, path):
        """A deployment's files as its URL serves them: /__standin/pages/{project}/{deployment_id | production}/{path}."""
        match = re.fullmatch(r"/__standin/pages/([^/]+)/([^/]+)(/.*)?", path)
        with LOCK:
            project = STATE["pages"].get(ARGS.account + "/" + match.group(1)) if match else None
            if project is None:
                return self.reply(404, {"error": "no such Pages project"})
            wanted = project["canonical"] if match.group(2) == "production" else match.group(2)
            deployment = next((d for d in project["deployments"] if d["id"] == wanted), None)
            file = match.group(3) or "/"
            if file.endswith("/"):
                file += "index.html"
            content = deployment["files"].get(file) if deployment else None
        if content is None:
            return self.reply(404, {"error": "not found"})
        data = content.encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/plain; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def dns(self, method, zone_id, record_id, query, body):
        zone = STATE["zones"].get(zone_id)
        if zone is None:
            return 404, failure(7003, "Could not route to /zones/%s: invalid zone identifier" % zone_id)
        if record_id is None and method == "GET":
            name = query.get("name", [None])[0]
            records = [public_record(r) for r in zone["records"].values() if name is None or r["name"] == name]
            return 200, envelope(records, result_info={"page": 1, "per_page": 100, "count": len(records), "total_count": len(records)})
        record = zone["records"].get(record_id or "")
        if record is None:
            return 404, failure(81044, "Record does not exist.")
        if method == "GET":
            return 200, envelope(public_record(record))
        if method == "PATCH":
            change = json.loads(body or b"{}")
            for key in ("content", "ttl", "proxied", "comment"):
                if key in change:
                    record[key] = change[key]
            record["modified_on"] = now_text()
            return 200, envelope(public_record(record))
        return 405, failure(10000, "method not allowed")

    def graphql(self, request):
        query, variables = request.get("query", ""), request.get("variables") or {}
        if "workersInvocationsAdaptive" not in query:
            return 200, {"data": None, "errors": [{"message": "the stand-in answers workersInvocationsAdaptive only"}]}
        if variables.get("accountTag") != ARGS.account:
            return 200, {"data": {"viewer": {"accounts": []}}, "errors": None}
        since, until = parse_time(variables["since"]), parse_time(variables["until"])
        groups = {}
        for row in STATE["invocations"]:
            if row["script"] != variables.get("scriptName") or not since <= row["time"] <= until:
                continue
            minute = datetime.fromtimestamp(row["time"], timezone.utc).strftime("%Y-%m-%dT%H:%M:00Z")
            group = groups.setdefault((row["version"], minute), {"requests": 0, "errors": 0, "wall": []})
            group["requests"] += row["requests"]
            group["errors"] += row["errors"]
            group["wall"].append(row["wall_time_us"])
        answer = [{"sum": {"requests": g["requests"], "errors": g["errors"]},
                   "quantiles": {"wallTimeP99": max(g["wall"]) if g["wall"] else None},
                   "dimensions": {"scriptVersion": version, "datetimeMinute": minute}}
                  for (version, minute), g in sorted(groups.items())]
        return 200, {"data": {"viewer": {"accounts": [{"workersInvocationsAdaptive": answer}]}}, "errors": None}


def public_version(version):
    return {k: v for k, v in version.items() if k != "modules"}


def public_deployment(deployment, project, base):
    answer = {k: v for k, v in deployment.items() if k not in ("files", "content_types")}
    answer["url"] = "%s/__standin/pages/%s/%s" % (base, project["name"], deployment["id"])
    answer["aliases"] = ["%s/__standin/pages/%s/production" % (base, project["name"])] \
        if project["canonical"] == deployment["id"] else []
    return answer


def public_project(project, base):
    answer = {k: v for k, v in project.items() if k not in ("deployments", "canonical")}
    canonical = next((d for d in project["deployments"] if d["id"] == project["canonical"]), None)
    answer["canonical_deployment"] = public_deployment(canonical, project, base) if canonical else None
    answer["latest_deployment"] = public_deployment(project["deployments"][-1], project, base) if project["deployments"] else None
    return answer


def parse_form(content_type, body):
    """Every field of a multipart/form-data body, by name."""
    message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(
        b"Content-Type: " + content_type.encode() + b"\r\n\r\n" + body)
    return {part.get_param("name", header="content-disposition"): part.get_payload(decode=True) or b""
            for part in message.iter_parts()}


def public_record(record):
    return dict(record)


def parse_upload(content_type, body):
    """The metadata part and the modules of a multipart/form-data upload."""
    message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(
        b"Content-Type: " + content_type.encode() + b"\r\n\r\n" + body)
    metadata, modules = None, {}
    for part in message.iter_parts():
        name = part.get_param("name", header="content-disposition")
        payload = part.get_payload(decode=True) or b""
        if name == "metadata":
            metadata = json.loads(payload)
        elif name:
            modules[name] = payload.decode("utf-8", "replace")
    return metadata, modules


def simulate_traffic():
    """Invocations of each Worker with traffic turned on, split as its newest deployment says."""
    tick = 0.25
    while True:
        time.sleep(tick)
        with LOCK:
            for name, traffic in STATE["traffic"].items():
                found = script(ARGS.account, name)
                if not found or not found["deployments"]:
                    continue
                tags = {v["id"]: v["annotations"].get("workers/tag") for v in found["versions"]}
                for share in found["deployments"][-1]["versions"]:
                    requests = int(round(traffic.get("rate", 100) * tick * share["percentage"] / 100))
                    if requests == 0:
                        continue
                    profile = traffic.get("profiles", {}).get(tags.get(share["version_id"]) or "", {})
                    errors = int(round(requests * profile.get("error_percent", 0) / 100))
                    STATE["invocations"].append({"script": name, "version": share["version_id"], "time": time.time(),
                                                 "requests": requests, "errors": errors,
                                                 "wall_time_us": profile.get("wall_time_us", 20000)})


class Server(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address):
        # A client that timed out on a hung call has gone; that is the point of the hang.
        if not isinstance(sys.exc_info()[1], (BrokenPipeError, ConnectionResetError)):
            super().handle_error(request, client_address)


def main():
    global ARGS
    parser = argparse.ArgumentParser()
    parser.add_argument("--token", required=True)
    parser.add_argument("--account", default="0123456789abcdef0123456789abcdef")
    parser.add_argument("--detached", action="store_true", help="serve until SIGTERM, not until standard input closes")
    ARGS = parser.parse_args()
    server = Server(("127.0.0.1", 0), Handler)
    print("port %d" % server.server_address[1], flush=True)
    threading.Thread(target=simulate_traffic, daemon=True).start()
    if ARGS.detached:
        return server.serve_forever()
    threading.Thread(target=server.serve_forever, daemon=True).start()
    while sys.stdin.buffer.read(1024):
        pass


if __name__ == "__main__":
    main()
