"""`sumisura serve`: the real server on a free local port, driven over HTTP (docs/service.md)."""

from __future__ import annotations

import json
import re
import signal
import subprocess
import threading
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

import pytest

import sumisura as s

from conftest import BICYCLE, CLI, KITCHEN, SHOES, SOURCE_DIR

try:  # Debian's python3-jsonschema (the install script installs it)
    import jsonschema
    import yaml

    OPENAPI = yaml.safe_load((SOURCE_DIR / "docs" / "openapi.yaml").read_text())
except ImportError:  # pragma: no cover - only where the install script did not run
    jsonschema = None
CHECKED: list[str] = []  # "METHOD route status" of every response checked against docs/openapi.yaml


def check_against_openapi(method: str, path: str, status: int, body: Any) -> None:
    """Validates one real response against the schema docs/openapi.yaml gives for it."""
    if jsonschema is None or not isinstance(body, (dict, list)):
        return
    path = path.split("?")[0]
    for template, item in OPENAPI["paths"].items():
        if re.fullmatch(re.sub(r"\{[^}]+\}", "[^/]+", template), path):
            operation = item.get(method.lower())
            assert operation, f"{method} {template} is not in docs/openapi.yaml"
            responses = operation["responses"]
            response = responses.get(str(status)) or responses.get("default")
            assert response, f"{method} {template} {status} is not in docs/openapi.yaml"
            if "$ref" in response:
                response = OPENAPI["components"]["responses"][response["$ref"].split("/")[-1]]
            schema = response["content"]["application/json"]["schema"]
            root = {"components": OPENAPI["components"], **schema}
            jsonschema.Draft202012Validator(root).validate(body)
            CHECKED.append(f"{method} {template} {status}")
            return
    # Routes the file does not list answer not_found, which the Error schema covers.
    assert body["error"]["code"] == "not_found", f"{method} {path} is not in docs/openapi.yaml"


class Server:
    """One `sumisura serve` process; stopped with SIGTERM at the end of the test."""

    def __init__(self, *args: Any) -> None:
        if not CLI or not Path(CLI).is_file():
            pytest.skip("the sumisura command is not built (SUMISURA_CLI)")
        self.process = subprocess.Popen(
            [CLI, "serve", "--port", "0", *map(str, args)],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        )
        line = self.process.stdout.readline()
        assert line.startswith("listening on "), self.process.stderr.read()
        self.base = line.split()[-1]

    def call(self, method: str, path: str, body: Any = None, headers: dict | None = None,
             raw: bytes | None = None) -> tuple[int, Any, dict]:
        data = raw if raw is not None else (None if body is None else json.dumps(body).encode())
        request = urllib.request.Request(self.base + path, data=data, method=method,
                                         headers={"Content-Type": "application/json",
                                                  **(headers or {})})
        try:
            with urllib.request.urlopen(request, timeout=60) as answer:
                text = answer.read().decode()
                status, head = answer.status, dict(answer.headers)
        except urllib.error.HTTPError as error:
            text, status, head = error.read().decode(), error.code, dict(error.headers)
        ctype = head.get("Content-Type", "")
        parsed = json.loads(text) if "json" in ctype and text else text
        check_against_openapi(method, path, status, parsed)
        return status, parsed, head

    def stop(self) -> int:
        self.process.send_signal(signal.SIGTERM)
        return self.process.wait(timeout=60)


@pytest.fixture
def shoes_server():
    server = Server("--catalog", f"shoes={SHOES}", "--catalog", f"kitchen={KITCHEN}")
    yield server
    server.stop()


def test_catalogs_are_listed_and_described(shoes_server: Server) -> None:
    status, body, _ = shoes_server.call("GET", "/v1/catalogs")
    assert status == 200
    assert [c["id"] for c in body["catalogs"]] == ["shoes", "kitchen"]
    status, body, _ = shoes_server.call("GET", "/v1/catalogs/shoes")
    assert status == 200
    catalog = body["catalog"]
    assert catalog["currency"] == "EUR"
    assert {o["id"] for o in catalog["options"]} >= {"size", "color"}
    assert catalog["slots"] and catalog["blocks"] and catalog["services"]
    assert shoes_server.call("GET", "/v1/health")[0] == 200


def test_configure_and_domains_match_the_cli(shoes_server: Server) -> None:
    spec = {"require": ["size == 42", "color == navy"]}
    status, body, _ = shoes_server.call("POST", "/v1/catalogs/shoes/configure", spec)
    assert status == 200 and body["status"] == "optimal"
    cli = subprocess.run([CLI, "configure", SHOES, "--where", "size=42", "--where", "color=navy",
                          "--json"], capture_output=True, text=True)
    assert json.loads(cli.stdout)["price"] == body["price"]
    status, body, _ = shoes_server.call("POST", "/v1/catalogs/shoes/domains",
                                        {"choices": {"color": "white"}})
    assert status == 200 and body["domains"]["color"] == ["white"]
    status, body, _ = shoes_server.call("POST", "/v1/catalogs/shoes/count", {"where": ["size=42"]})
    assert status == 200 and body["exact"] and int(body["count"]) > 0


def test_analyze_and_sample_match_the_library(shoes_server: Server) -> None:
    library = s.Configurator(SHOES)
    library.compile()
    analysis = library.analyze()
    for _ in range(2):  # the second answer is the one kept for this version of the catalog
        status, body, _ = shoes_server.call("POST", "/v1/catalogs/shoes/analyze", {})
        assert status == 200 and body["complete"] and int(body["total"]) == analysis.total
        assert (body["dead"], body["core"]) == (analysis.dead, analysis.core)
        counts = {v["name"]: [int(x["count"]) for x in v["values"]] for v in body["variables"]}
        assert counts == {n: [x.count for x in v.values] for n, v in analysis.variables.items()}
    where = {"color": "navy"}
    status, body, _ = shoes_server.call("POST", "/v1/catalogs/shoes/sample",
                                        {"n": 20, "seed": 9, "where": where})
    assert status == 200 and body["uniform"] and len(body["products"]) == 20
    assert body["products"] == library.sample(20, seed=9, where=where).products
    assert all(p["color"] == "navy" for p in body["products"])
    for bad in ({"n": -1}, {"n": 10001}, {"n": "5"}, {"seed": 1.5}):
        status, body, _ = shoes_server.call("POST", "/v1/catalogs/shoes/sample", bad)
        assert (status, body["error"]["code"]) == (400, "invalid_request")


def test_a_session_click_by_click(shoes_server: Server) -> None:
    status, body, _ = shoes_server.call("POST", "/v1/catalogs/shoes/sessions", {})
    assert status == 201
    sid = body["session"]
    assert body["state"]["price"]["min"] <= body["state"]["price"]["max"]
    status, body, _ = shoes_server.call("POST", f"/v1/sessions/{sid}/choose",
                                        {"name": "color", "value": "white"})
    assert status == 200 and body["accepted"] and body["state"]["chosen"] == {"color": "white"}
    # Some value is now out of reach: it is refused with its explanation, and repairs free it.
    domains = body["state"]["domains"]
    catalog = shoes_server.call("GET", "/v1/catalogs/shoes")[1]["catalog"]
    every = {o["id"]: [v["value"] for v in o["values"]] for o in catalog["options"]}
    every.update({slot["id"]: slot["blocks"] for slot in catalog["slots"]})
    name, value = next((n, v) for n, vs in every.items() for v in vs
                       if n != "color" and v not in domains[n])
    status, body, _ = shoes_server.call("POST", f"/v1/sessions/{sid}/choose",
                                        {"name": name, "value": value})
    assert status == 200 and not body["accepted"] and body["explanation"]["choices"]
    status, body, _ = shoes_server.call("POST", f"/v1/sessions/{sid}/repairs",
                                        {"name": name, "value": value})
    assert status == 200 and body["repairs"][0]["drop"] == ["color=white"]
    status, first, _ = shoes_server.call("POST", f"/v1/sessions/{sid}/undo", {})
    assert status == 200 and first["state"]["chosen"] == {}
    status, body, _ = shoes_server.call("POST", f"/v1/sessions/{sid}/complete",
                                        {"objective": "cheapest"})
    assert status == 200 and body["result"]["status"] == "optimal"
    assert body["result"]["price"]["total"] == first["state"]["price"]["min"]  # cheapest of the range
    status, heavy, _ = shoes_server.call("POST", f"/v1/sessions/{sid}/complete",
                                         {"objective": ["maximize shoe_weight", "cheapest"]})
    assert status == 200 and heavy["result"]["status"] == "optimal"
    assert heavy["result"]["measures"]["shoe_weight"] > body["result"]["measures"]["shoe_weight"]
    assert shoes_server.call("DELETE", f"/v1/sessions/{sid}")[0] == 200
    assert shoes_server.call("GET", f"/v1/sessions/{sid}")[1]["error"]["code"] == "unknown_session"


def test_recommendations_and_a_returning_customer(tmp_path: Path) -> None:
    model = tmp_path / "shoes-prefs.json"
    history = SOURCE_DIR / "examples" / "orders" / "shoes-history.txt"
    subprocess.run([CLI, "learn", SHOES, history, "-o", model], check=True, capture_output=True)
    server = Server("--catalog", f"shoes={SHOES}", "--preferences", f"shoes={model}")
    try:
        profile = {"id": "anna-k", "orders": [
            {"choices": {"size": 39, "color": "navy"}, "total": 335},
            {"choices": {"size": 39, "color": "navy"}, "total": 298}]}
        status, body, _ = server.call("POST", "/v1/catalogs/shoes/sessions", {"profile": profile})
        assert status == 201
        sid = body["session"]
        domains = body["state"]["domains"]
        for name, best in (("size", 39), ("color", "navy")):
            status, body, _ = server.call("POST", f"/v1/sessions/{sid}/recommend", {"name": name})
            assert status == 200 and body["recommendations"][0]["value"] == best
            ranked = {str(r["value"]) for r in body["recommendations"]}
            assert ranked == {str(v) for v in domains[name]}
        status, body, _ = server.call("POST", f"/v1/sessions/{sid}/recommend_next", {})
        assert status == 200 and body["next"]["name"] in domains
        status, body, _ = server.call("POST", f"/v1/sessions/{sid}/complete",
                                      {"objective": "most_likely"})
        assert status == 200 and body["result"]["selections"]["size"] == 39
        assert body["result"]["price"]["tier"] < 0  # 633 spent: the loyal tier is earned
        status, body, _ = server.call("POST", f"/v1/sessions/{sid}/recommend", {"name": "colour"})
        assert status == 400 and body["error"]["code"] == "unknown_option"
        status, body, _ = server.call("POST", f"/v1/sessions/{sid}/profile",
                                      {"profile": {"orders": [{"choices": {"size": 99}}]}})
        assert status == 400 and "'size' has no value '99'" in body["error"]["message"]
    finally:
        server.stop()


def test_every_error_is_json_with_a_stable_code(shoes_server: Server) -> None:
    def code(method: str, path: str, **kw: Any) -> tuple[int, str]:
        status, body, _ = shoes_server.call(method, path, **kw)
        return status, body["error"]["code"]

    assert code("GET", "/v1/catalogs/nope") == (404, "unknown_catalog")
    assert code("GET", "/v1/nowhere") == (404, "not_found")
    assert code("POST", "/v1/catalogs/shoes/configure", raw=b"{not json") == (400, "bad_json")
    assert code("POST", "/v1/catalogs/shoes/configure", raw=b"[" * 100000) == (400, "bad_json")
    assert code("POST", "/v1/catalogs/shoes/configure", raw=b"x" * (2 << 20)) == (413, "body_too_large")
    sid = shoes_server.call("POST", "/v1/catalogs/shoes/sessions", {})[1]["session"]
    assert code("POST", f"/v1/sessions/{sid}/choose", body={"name": "colour", "value": "x"}) == (400, "unknown_option")
    assert code("POST", f"/v1/sessions/{sid}/choose", body={"name": "color", "value": "plaid"}) == (400, "unknown_value")
    assert code("POST", f"/v1/sessions/{sid}/choose", body={"name": "color", "value": [1]}) == (400, "invalid_request")
    assert code("POST", f"/v1/sessions/{sid}/complete", body={"objective": 5}) == (400, "invalid_request")
    assert code("POST", f"/v1/sessions/{sid}/complete", body={"objective": "lightest"}) == (400, "invalid_request")
    assert code("POST", f"/v1/sessions/{sid}/complete", body={"objective": ["cheapest", 5]}) == (400, "invalid_request")
    assert code("POST", "/v1/catalogs/shoes/configure?time_limit=nan", body={}) == (400, "invalid_request")
    assert code("POST", "/v1/sessions/0123/choose", body={"resume": "@@@"}) == (400, "bad_token")
    # The server is still there.
    assert shoes_server.call("GET", "/v1/health")[0] == 200


def test_a_session_resumes_on_another_server_from_its_token(shoes_server: Server) -> None:
    body = shoes_server.call("POST", "/v1/catalogs/shoes/sessions", {"choices": ["size=43"]})[1]
    token, sid = body["token"], body["session"]
    other = Server("--catalog", f"shoes={SHOES}")
    try:
        status, body, _ = other.call("POST", f"/v1/sessions/{sid}/choose",
                                     {"name": "color", "value": "black", "resume": token})
        assert status == 200 and body["accepted"]
        assert body["state"]["chosen"] == {"size": 43, "color": "black"}
        status, body, _ = other.call("POST", "/v1/catalogs/shoes/sessions", {"resume": token})
        assert status == 201 and body["state"]["chosen"] == {"size": 43}
    finally:
        other.stop()


def test_idle_sessions_expire() -> None:
    server = Server("--catalog", f"shoes={SHOES}", "--session-idle", "0.3")
    try:
        sid = server.call("POST", "/v1/catalogs/shoes/sessions", {})[1]["session"]
        import time

        time.sleep(1.5)
        status, body, _ = server.call("GET", f"/v1/sessions/{sid}")
        assert status == 404 and body["error"]["code"] == "unknown_session"
    finally:
        server.stop()


def metric(server: Server, name: str) -> float:
    text = server.call("GET", "/v1/metrics")[1]
    return float(next(line.split()[1] for line in text.splitlines() if line.startswith(name + " ")))


def test_sessions_stay_within_their_memory_budget() -> None:
    # A bicycle session whose choices the compiled form cannot answer (an empty slot of several
    # blocks is a gate, not a value) holds its own solver with price circuits: about 8 MB, counted
    # as it allocates. A 20 MB budget keeps two or three; the least recently used go first.
    budget = 20_000_000
    server = Server("--catalog", f"bicycle={BICYCLE}", "--session-memory", budget)
    try:
        made = []
        for _ in range(6):
            status, body, _ = server.call("POST", "/v1/catalogs/bicycle/sessions",
                                          {"choices": ["extras=none"]})
            assert status == 201
            made.append((body["session"], body["token"]))
            held = metric(server, "sumisura_session_bytes")
            if held == 0:
                pytest.skip("allocations are not counted in this build (sanitizers)")
            assert held <= budget
        assert 1 <= metric(server, "sumisura_live_sessions") < 6
        assert metric(server, "sumisura_dropped_sessions_total") >= 6 - 3
        # The first session was dropped; its client continues from its token.
        first, token = made[0]
        status, body, _ = server.call("GET", f"/v1/sessions/{first}")
        assert (status, body["error"]["code"]) == (404, "unknown_session")
        status, body, _ = server.call("POST", f"/v1/sessions/{first}/reset", {"resume": token})
        assert status == 200 and body["session"] == first, body
        assert metric(server, "sumisura_session_bytes") <= budget
        # Deleting every session gives back what they were charged.
        for sid, _ in made:
            server.call("DELETE", f"/v1/sessions/{sid}")
        assert metric(server, "sumisura_session_bytes") == 0
    finally:
        server.stop()


def test_api_keys_cors_and_admin_reload(tmp_path: Path) -> None:
    keys, admin = tmp_path / "keys", tmp_path / "admin"
    keys.write_text("# shop backends\nkey-one\n")
    admin.write_text("admin-key\n")
    server = Server("--catalog", f"shoes={SHOES}", "--api-keys", keys, "--admin-keys", admin,
                    "--cors-origin", "https://shop.example")
    try:
        assert server.call("GET", "/v1/catalogs")[1]["error"]["code"] == "unauthorized"
        status, _, head = server.call("GET", "/v1/catalogs", headers={
            "Authorization": "Bearer key-one", "Origin": "https://shop.example"})
        assert status == 200 and head["Access-Control-Allow-Origin"] == "https://shop.example"
        assert "Access-Control-Allow-Origin" not in server.call("GET", "/v1/catalogs", headers={
            "X-API-Key": "key-one", "Origin": "https://evil.example"})[2]
        assert server.call("GET", "/v1/health")[0] == 200  # probes need no key
        assert server.call("POST", "/v1/admin/catalogs/shoes/reload", {},
                           headers={"X-API-Key": "key-one"})[0] == 401
        status, body, _ = server.call("POST", "/v1/admin/catalogs/shoes/reload", {},
                                      headers={"X-API-Key": "admin-key"})
        assert status == 200 and body["generation"] == 2
    finally:
        server.stop()


def test_a_token_from_before_a_reload_resumes_with_what_still_holds(tmp_path: Path) -> None:
    """The shop publishes next season's catalog (a reload); a cart saved before comes back with
    the choices that still hold and the others named, with why."""
    catalog = tmp_path / "shoes.yaml"
    catalog.write_text(Path(SHOES).read_text())
    admin = tmp_path / "admin"
    admin.write_text("admin-key\n")
    server = Server("--catalog", f"shoes={catalog}", "--admin-keys", admin)
    try:
        choices = ["product=derby", "sole=sole_resin", "size=39", "width=wide"]
        status, body, _ = server.call("POST", "/v1/catalogs/shoes/sessions", {"choices": choices})
        assert status == 201 and "refused" not in body
        token = body["token"]
        catalog.write_text((SOURCE_DIR / "tests/golden/versions/shoes-next.yaml").read_text())
        status, body, _ = server.call("POST", "/v1/admin/catalogs/shoes/reload", {},
                                      headers={"X-API-Key": "admin-key"})
        assert status == 200 and body["generation"] == 2
        status, body, _ = server.call("POST", "/v1/catalogs/shoes/sessions", {"resume": token})
        assert status == 201
        resumed = body["resumed"]
        assert resumed["saved_version"] == "2026.1" and resumed["kept"] == ["product=derby", "size=39"]
        assert [d["choice"] for d in resumed["dropped"]] == ["sole=sole_resin", "width=wide"]
        assert body["state"]["chosen"] == {"product": "derby", "size": 39}
        # Told once: the next answer on the session no longer carries it.
        status, body, _ = server.call("GET", f"/v1/sessions/{body['session']}")
        assert status == 200 and "resumed" not in body
    finally:
        server.stop()


def test_overload_is_503_and_sigterm_drains() -> None:
    """One worker, no queue: while a slow request runs, the next is refused at once; SIGTERM
    lets the slow one finish before the process ends."""
    bicycle = Path(SHOES).parent / "bicycle.yaml"
    server = Server("--catalog", f"bicycle={bicycle}", "--threads", "1", "--queue", "0")
    slow: dict = {}

    def run_slow() -> None:
        # Many infeasible specifications with a budget take seconds on bicycle (search).
        slow["answer"] = server.call("POST", "/v1/catalogs/bicycle/configure?time_limit=3",
                                     {"max": {"price": 1}})
    thread = threading.Thread(target=run_slow)
    thread.start()
    import time

    refused = None
    for _ in range(100):
        time.sleep(0.02)
        status, body, head = server.call("GET", "/v1/catalogs")
        if status == 503:
            refused = (body["error"]["code"], head.get("Retry-After"))
            break
    assert refused == ("overloaded", "1")
    assert server.stop() == 0
    thread.join()
    assert slow["answer"][0] == 200  # finished, not cut off


def test_responses_follow_the_openapi_file(shoes_server: Server) -> None:
    """Every response of the other tests is checked as it arrives; this one makes sure that the
    checks run, over each kind of answer."""
    if jsonschema is None:
        pytest.skip("python3-jsonschema is not installed (scripts/install-deps.sh installs it)")
    CHECKED.clear()
    sid = shoes_server.call("POST", "/v1/catalogs/shoes/sessions", {})[1]["session"]
    shoes_server.call("POST", f"/v1/sessions/{sid}/choose", {"name": "color", "value": "white"})
    shoes_server.call("POST", f"/v1/sessions/{sid}/explain", {"name": "upper", "value": "upper_knit"})
    shoes_server.call("POST", f"/v1/sessions/{sid}/complete", {})
    shoes_server.call("GET", "/v1/catalogs/shoes")
    shoes_server.call("POST", "/v1/catalogs/shoes/configure", {"require": ["size == 1"]})
    shoes_server.call("GET", "/v1/catalogs/none")
    shoes_server.call("GET", "/v1/ready")
    shoes_server.call("POST", "/v1/catalogs/shoes/analyze", {})
    shoes_server.call("POST", "/v1/catalogs/shoes/sample", {"n": 3})
    assert len(CHECKED) == 10, CHECKED
