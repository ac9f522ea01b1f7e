// Admin UI: plain JavaScript over the public API (the same contract other systems use).
const state = { token: sessionStorage.getItem("token"), role: sessionStorage.getItem("role") };

async function call(method, path, body) {
  const headers = { "Content-Type": "application/json" };
  if (state.token) headers.Authorization = `Bearer ${state.token}`;
  const response = await fetch(path, { method, headers, body: body && JSON.stringify(body) });
  const data = await response.json().catch(() => ({}));
  if (!response.ok) throw Object.assign(new Error(describe(data)), { status: response.status });
  return data;
}

function describe(data) {
  const error = data.error || {};
  const fields = Object.entries(error.fields || {}).map(([f, r]) => `${f}: ${r.join(", ")}`);
  return [error.message, ...fields].filter(Boolean).join(" — ");
}

async function showHealth() {
  const list = document.getElementById("health");
  const response = await fetch("/healthz");
  const report = await response.json();
  list.replaceChildren(...Object.entries(report.services).map(([name, info]) => {
    const item = document.createElement("li");
    item.textContent = `${name}: ${info.status}`;
    item.className = info.status === "ok" ? "ok" : "down";
    return item;
  }));
}

async function showSignedIn() {
  document.getElementById("who").textContent = state.role ? `Signed in as ${state.role}` : "";
  document.getElementById("login-panel").hidden = Boolean(state.token);
  document.getElementById("register-panel").hidden = state.role !== "caseworker";
  if (state.role === "caseworker") {
    const { items } = await call("GET", "/api/v1/programmes");
    document.getElementById("programmes").replaceChildren(...items.map((p) => new Option(`${p.code} — ${p.name}`, p.id)));
  }
}

document.getElementById("login-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  const form = new FormData(event.target);
  try {
    const answer = await call("POST", "/api/v1/auth/login", { username: form.get("username"), password: form.get("password") });
    Object.assign(state, { token: answer.token, role: answer.role });
    sessionStorage.setItem("token", answer.token);
    sessionStorage.setItem("role", answer.role);
    document.getElementById("login-error").textContent = "";
    await showSignedIn();
  } catch (error) {
    document.getElementById("login-error").textContent = error.message;
  }
});

document.getElementById("register-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  const form = new FormData(event.target);
  const today = new Date().toISOString().slice(0, 10);
  const payload = {
    programme_id: form.get("programme_id"), given_names: form.get("given_names"),
    family_names: form.get("family_names"), date_of_birth: form.get("date_of_birth"),
    nationality: form.get("nationality").toUpperCase(), return_country: form.get("return_country").toUpperCase(),
    consent: { given: form.get("consent") === "on", date: today, scope: ["case_management"] },
  };
  try {
    const created = await call("POST", "/api/v1/cases", payload);
    document.getElementById("register-error").textContent = "";
    document.getElementById("register-result").textContent = `Registered case ${created.id} (${created.status})`;
  } catch (error) {
    document.getElementById("register-error").textContent = error.message;
  }
});

showHealth();
showSignedIn().catch(() => {});
