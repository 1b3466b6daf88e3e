import json, os, pathlib, urllib.request
url = os.environ.get("SIGNOFF_URL", "http://127.0.0.1:7475") + "/api/v1/requests"
token = os.environ.get("SIGNOFF_TOKEN") or (pathlib.Path.home() / ".signoff/agent.token").read_text().strip()
def call(u, body=None):
    req = urllib.request.Request(u, data=body and json.dumps(body).encode(), headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"})
    return json.load(urllib.request.urlopen(req, timeout=90))
r = call(url, {"kind": "approval", "title": "Rotate the API keys", "severity": "high"})
while r["status"] == "pending":
    r = call(f"{url}/{r['id']}?wait=60")
print(r["decision"]["status"], json.dumps(r["decision"]["response"]))
