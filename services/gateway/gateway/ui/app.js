// Admin UI: plain JavaScript over the public API (the same contract other systems use).
// One page; the hash names the view (#cases, #case/<id>, #register, #finance, #audit, #health).
const state = { token: sessionStorage.getItem("token"), role: sessionStorage.getItem("role"), cursor: null };
const $ = (id) => document.getElementById(id);

const VULNERABILITY_FACTORS = [
  "pregnant", "single_parent_or_head_of_household_with_children_under_18", "victim_of_trafficking",
  "physical_or_mental_illness", "substance_dependence", "disability", "former_unaccompanied_minor",
  "unaccompanied_or_separated_child", "homeless", "dependent_on_social_assistance",
  "family_without_work_or_home", "discrimination", "other"];
const PLAN_CATEGORIES = ["income_generating_activity", "vocational_training", "education", "health",
  "housing", "basic_necessities", "other"];

// --- talking to the API ------------------------------------------------------------------
async function call(method, path, body, headers = {}) {
  const all = { "Content-Type": "application/json", ...headers };
  if (state.token) all.Authorization = `Bearer ${state.token}`;
  const response = await fetch(path, { method, headers: all, body: body && JSON.stringify(body) });
  const data = await response.json().catch(() => ({}));
  if (response.status === 401 && state.token) signOut();
  if (!response.ok) throw Object.assign(new Error(describe(data)), { status: response.status, data });
  return data;
}

function describe(data) {
  const error = data.error || {};
  const fields = Object.entries(error.fields || {}).map(([f, r]) => `${f}: ${[].concat(r).join(", ")}`);
  return [error.message, ...fields].filter(Boolean).join(" — ");
}

// Runs an action, showing its error (field by field) under the form that asked for it.
async function attempt(errorId, action) {
  $(errorId).textContent = "";
  try { return await action(); } catch (error) { $(errorId).textContent = error.message; return undefined; }
}

// --- small DOM helpers -------------------------------------------------------------------
function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (key.startsWith("on")) node.addEventListener(key.slice(2), value);
    else if (value !== undefined && value !== null) node.setAttribute(key, value);
  }
  node.append(...children.flat().filter((c) => c !== undefined && c !== null));
  return node;
}
const money = (m) => (m ? `${(m.amount / 100).toFixed(2)} ${m.currency}` : "");
const toMinorUnits = (text) => Math.round(Number(String(text).replace(",", ".")) * 100);
const blank = (value) => (value === "" || value === null ? undefined : value);
const dateOf = (stamp) => (stamp ? String(stamp).slice(0, 16).replace("T", " ") : "");

function facts(list, pairs) {
  list.replaceChildren(...pairs.filter(([, v]) => v !== undefined && v !== null && v !== "")
    .flatMap(([k, v]) => [el("dt", {}, k), el("dd", {}, String(v))]));
}

// --- sign in and navigation --------------------------------------------------------------
function signOut() {
  sessionStorage.clear();
  Object.assign(state, { token: null, role: null });
  location.hash = "";
  render();
}

function allowed(link) { return link.dataset.roles === undefined || link.dataset.roles.split(" ").includes(state.role); }

async function loadProgrammes() {
  const { items } = await call("GET", "/api/v1/programmes");
  for (const select of document.querySelectorAll(".programme-choice")) {
    const keep = [...select.options].filter((o) => o.value === "");
    select.replaceChildren(...keep, ...items.map((p) => new Option(`${p.code} — ${p.name}`, p.id)));
  }
}

async function render() {
  const signedIn = Boolean(state.token);
  $("who").textContent = signedIn ? `Signed in as ${state.role}` : "";
  $("login-panel").hidden = signedIn;
  $("nav").hidden = !signedIn;
  $("sign-out").hidden = !signedIn;
  for (const link of $("nav").querySelectorAll("a")) link.hidden = !allowed(link);
  const [view, id] = location.hash.slice(1).split("/");
  for (const panel of document.querySelectorAll("[data-view]")) {
    panel.hidden = panel.dataset.view !== "health" && (!signedIn || panel.dataset.view !== view);
  }
  if (!signedIn) return;
  if (state.role !== "operations") await loadProgrammes().catch(() => {});
  if (view === "case" && id) await showCase(id);
  if (view === "cases") await searchCases();
  if (view === "finance") await showBudget();
}

$("login-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  const form = new FormData(event.target);
  await attempt("login-error", async () => {
    const answer = await call("POST", "/api/v1/auth/login", { username: form.get("username"), password: form.get("password") });
    Object.assign(state, { token: answer.token, role: answer.role });
    sessionStorage.setItem("token", answer.token);
    sessionStorage.setItem("role", answer.role);
    if (!location.hash) location.hash = answer.role === "caseworker" ? "register" : (answer.role === "operations" ? "health" : "cases");
    await render();
  });
});
$("sign-out").addEventListener("click", signOut);
window.addEventListener("hashchange", render);

async function showHealth() {
  const response = await fetch("/healthz");
  const report = await response.json();
  $("health").replaceChildren(...Object.entries(report.services).map(([name, info]) =>
    el("li", { class: info.status === "ok" ? "ok" : "down" }, `${name}: ${info.status}`)));
}

// --- cases: search -----------------------------------------------------------------------
async function searchCases(more = false) {
  const form = new FormData($("search-form"));
  const query = new URLSearchParams({ limit: "25" });
  for (const key of ["q", "status", "country", "programme"]) if (form.get(key)) query.set(key, form.get(key));
  if (more && state.cursor) query.set("cursor", state.cursor);
  await attempt("cases-error", async () => {
    const page = await call("GET", `/api/v1/cases?${query}`);
    const rows = page.items.map((c) => el("tr", {},
      el("td", {}, el("a", { href: `#case/${c.id}` }, c.id.slice(0, 8))),
      el("td", {}, [c.given_names, c.family_names].filter(Boolean).join(" ")),
      el("td", {}, c.status), el("td", {}, c.return_country), el("td", {}, dateOf(c.registered_at))));
    const body = $("case-results").tBodies[0];
    if (more) body.append(...rows); else body.replaceChildren(...rows);
    state.cursor = page.next_cursor;
    $("more-cases").hidden = !page.next_cursor;
  });
}
$("search-form").addEventListener("submit", (event) => { event.preventDefault(); searchCases(); });
$("more-cases").addEventListener("click", () => searchCases(true));

// --- cases: registration -----------------------------------------------------------------
$("vulnerability-factors").append(...VULNERABILITY_FACTORS.map((factor) =>
  el("label", { class: "check" }, el("input", { type: "checkbox", name: "vulnerability", value: factor }), factor.replaceAll("_", " "))));

function registrationPayload(form) {
  const today = new Date().toISOString().slice(0, 10);
  const documentType = form.get("document_type");
  return {
    programme_id: form.get("programme_id"), given_names: form.get("given_names"),
    family_names: blank(form.get("family_names")), date_of_birth: form.get("date_of_birth"),
    sex: form.get("sex"), nationality: form.get("nationality").toUpperCase(),
    languages: form.get("languages").split(",").map((l) => l.trim().toLowerCase()).filter(Boolean),
    identity_document: documentType ? { type: documentType, number: form.get("document_number"),
      issuing_country: form.get("document_country").toUpperCase() } : undefined,
    contact: { phone: blank(form.get("phone")), email: blank(form.get("email")) },
    migratory_status: form.get("migratory_status"),
    return_country: form.get("return_country").toUpperCase(), return_city: blank(form.get("return_city")),
    referral_source: form.get("referral_source"), referral_details: blank(form.get("referral_details")),
    consent: { given: form.get("consent") === "on", date: today, scope: ["case_management"] },
    intends_to_apply_for_reintegration: form.get("intends") === "on",
    vulnerability_factors: form.getAll("vulnerability"),
    vulnerability_other_text: blank(form.get("vulnerability_other_text")),
  };
}

function duplicateItems(candidates, caseId) {
  return (candidates || []).map((d) => {
    const other = d.case_id || d.id;
    const review = (decision) => attempt("transition-error", async () => {
      await call("POST", `/api/v1/cases/${caseId}/duplicates/${other}`, { decision });
      await showCase(caseId);
    });
    return el("li", {}, el("a", { href: `#case/${other}` }, other.slice(0, 8)), ` — ${[].concat(d.reasons || []).join(", ")}`,
      d.decision ? ` (${d.decision})` : (caseId && state.role !== "auditor" ? [
        el("button", { type: "button", onclick: () => review("same_person") }, "Same person"),
        el("button", { type: "button", onclick: () => review("different") }, "Different people")] : []));
  });
}

$("register-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  await attempt("register-error", async () => {
    const created = await call("POST", "/api/v1/cases", registrationPayload(new FormData(event.target)));
    $("register-result").replaceChildren(`Registered case ${created.id} (${created.status}) `,
      el("a", { href: `#case/${created.id}` }, "open"));
    $("register-duplicates").replaceChildren(...duplicateItems(created.possible_duplicates, created.id));
  });
});

// --- one case ----------------------------------------------------------------------------
async function showCase(id) {
  const found = await attempt("transition-error", () => call("GET", `/api/v1/cases/${id}`));
  if (!found) return;
  $("case-id").textContent = id.slice(0, 8);
  const person = found.person || {};
  const vulnerability = found.vulnerability || {};
  facts($("case-facts"), [["Status", found.status], ["Programme", found.programme_id],
    ["Name", [person.given_names, person.family_names].filter(Boolean).join(" ")],
    ["Born", person.date_of_birth], ["Nationality", person.nationality],
    ["Returns to", [person.return_city, person.return_country].filter(Boolean).join(", ")],
    ["Vulnerability", [vulnerability.level, ...(vulnerability.factors || [])].filter(Boolean).join(", ").replaceAll("_", " ")],
    ["Other vulnerability", vulnerability.other && `${vulnerability.other.text} (${vulnerability.other.status})`],
    ["Not eligible because", (found.eligibility_reasons || []).join("; ")]]);
  const sensitive = found.sensitive;
  $("case-sensitive").replaceChildren(found.protected && !sensitive
    ? el("p", { class: "protected" }, "Protected: sensitive details are visible to the assigned caseworker and supervisors only.")
    : (sensitive ? el("p", { class: "protected" }, `Sensitive: ${sensitive.vulnerability_factors.join(", ").replaceAll("_", " ")}`) : ""));
  $("case-duplicates").replaceChildren(...duplicateItems(found.possible_duplicates, id));
  const targets = found.allowed_transitions || [];
  $("transition-targets").replaceChildren(...targets.map((t) => new Option(t, t)));
  $("transition-form").hidden = !["caseworker", "supervisor"].includes(state.role) || targets.length === 0;
  $("case-history").replaceChildren(...(found.history || []).map((h) =>
    el("li", {}, `${dateOf(h.at)} ${h.from_status || ""} → ${h.to_status} by ${h.actor_role || h.actor || ""}: ${h.reason || ""}`)));
  await showApplication(id, found.status);
  await showPlans(id);
  await showInstalments(id);
}

// --- reintegration support application ---------------------------------------------------
const CRITERIA = ["needs", "vulnerability", "skills", "sustainability_and_feasibility", "monitoring_available"];

async function showApplication(caseId, status) {
  const application = await call("GET", `/api/v1/cases/${caseId}/application`).catch(() => null);
  $("case-application").replaceChildren(application
    ? el("p", { class: "application-summary" }, `Application ${application.status}: score ${application.score} (weights ${application.weights_version}), needs: ${application.needs}`)
    : "");
  const reached = !["registered", "counselled", "withdrawn", "rejected"].includes(status);
  $("application-form").hidden = state.role !== "caseworker" || Boolean(application) || !reached;
}

$("application-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  const id = location.hash.split("/")[1];
  const form = new FormData(event.target);
  const body = { interview_date: form.get("interview_date"), needs: form.get("needs"), skills: blank(form.get("skills")),
    intended_use: form.get("intended_use"), household_situation: blank(form.get("household_situation")),
    scores: Object.fromEntries(CRITERIA.map((c) => [c, Number(form.get(`score_${c}`))])) };
  await attempt("application-error", async () => {
    await call("POST", `/api/v1/cases/${id}/application`, body);
    await showCase(id);
  });
});

$("transition-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  const id = location.hash.split("/")[1];
  const form = new FormData(event.target);
  const to = form.get("to");
  const data = {};
  if (to === "travel_booked") Object.assign(data, { travel_date: form.get("date"), destination_airport: form.get("airport").toUpperCase() });
  if (to === "arrived" && form.get("date")) data.arrival_date = form.get("date");
  await attempt("transition-error", async () => {
    await call("POST", `/api/v1/cases/${id}/transitions`, { to, reason: form.get("reason"), data });
    event.target.reset();
    await showCase(id);
  });
});

// --- plans -------------------------------------------------------------------------------
function planLine() {
  return el("tr", {},
    el("td", {}, el("select", { name: "category" }, ...PLAN_CATEGORIES.map((c) => new Option(c.replaceAll("_", " "), c)))),
    el("td", {}, el("input", { name: "description", required: true })),
    el("td", {}, el("input", { name: "amount", inputmode: "decimal", required: true })),
    el("td", {}, el("input", { name: "justification" })));
}
$("add-line").addEventListener("click", () => $("plan-lines").tBodies[0].append(planLine()));

$("plan-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  const id = location.hash.split("/")[1];
  const lines = [...$("plan-lines").tBodies[0].rows].map((row) => {
    const value = (name) => row.querySelector(`[name=${name}]`).value;
    return { category: value("category"), description: value("description"),
      amount: { amount: toMinorUnits(value("amount")), currency: "EUR" }, justification: blank(value("justification")) };
  });
  await attempt("plan-error", async () => {
    await call("POST", `/api/v1/cases/${id}/plans`, { lines });
    await showCase(id);
  });
});

function planActions(plan) {
  const act = (path, body) => attempt("plan-error", async () => {
    await call("POST", `/api/v1/plans/${plan.id}/${path}`, body || {});
    await showCase(location.hash.split("/")[1]);
  });
  const buttons = [];
  if (state.role === "caseworker" && plan.status === "draft") buttons.push(el("button", { type: "button", onclick: () => act("submit") }, "Submit for approval"));
  if (state.role === "supervisor" && plan.status === "submitted") {
    buttons.push(el("button", { type: "button", onclick: () => act("approve") }, "Approve"));
    buttons.push(el("button", { type: "button", onclick: () => act("reject", { reason: prompt("Why is the plan rejected?") || "" }) }, "Reject"));
  }
  return buttons;
}

async function showPlans(caseId) {
  const found = await call("GET", `/api/v1/cases/${caseId}/plans`).catch(() => ({ items: [] }));
  const plans = found.items || [];
  $("case-plans").replaceChildren(...plans.map((plan) => {
    const version = plan.versions[0];  // newest first
    return el("div", { class: "plan" },
      el("p", { class: "plan-summary" }, `Plan ${plan.id.slice(0, 8)} — ${plan.status}, version ${version.version}, total ${money(version.total)}`),
      version.rejection_reason ? el("p", {}, `Rejected: ${version.rejection_reason}`) : "",
      el("ul", {}, ...(version.lines || []).map((l) => el("li", {}, `${l.category}: ${l.description} — ${money(l.amount)}`))),
      ...planActions(plan));
  }));
  $("plan-form").hidden = state.role !== "caseworker" || plans.length > 0;
  if ($("plan-lines").tBodies[0].rows.length === 0) $("plan-lines").tBodies[0].append(planLine());
}

async function showInstalments(caseId) {
  const found = await call("GET", `/api/v1/cases/${caseId}/instalments`).catch(() => ({ items: [] }));
  $("case-instalments").replaceChildren(el("ul", {}, ...(found.items || []).map((i) =>
    el("li", {}, `Instalment ${i.number}: ${money(i.amount)} — ${i.status}`,
      el("ul", {}, ...(i.payouts || []).map((p) => el("li", {}, `${p.route}: ${money(p.amount)} — ${p.status}`)))))));
}

// --- finance -----------------------------------------------------------------------------
async function showBudget() {
  const programme = $("budget-programme").value;
  if (!programme) return;
  await attempt("batch-error", async () => {
    const budget = await call("GET", `/api/v1/programmes/${programme}/budget`);
    const rows = ["total", "reserved", "paid", "returned", "available"].filter((k) => budget[k])
      .map((k) => el("tr", {}, el("th", {}, k), el("td", {}, money(budget[k]))));
    $("budget").tBodies[0].replaceChildren(...rows);
  });
}
$("budget-programme").addEventListener("change", showBudget);

async function showBatch(id) {
  const batch = await call("GET", `/api/v1/payout-batches/${id}`);
  $("batch-id").value = batch.id;
  $("batch").replaceChildren(
    el("p", {}, `Batch ${batch.id.slice(0, 8)} — ${batch.status}; prepared by ${batch.prepared_by || ""}`),
    el("pre", {}, JSON.stringify(batch.progress || {}, null, 1)),
    el("ul", {}, ...(batch.payouts || []).map((p) => el("li", {}, `${p.case_id ? p.case_id.slice(0, 8) : ""} ${p.route}: ${money(p.amount)} — ${p.status}`))));
  return batch;
}
$("batch-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  await attempt("batch-error", async () => {
    const programme = $("budget-programme").value;
    const batch = await call("POST", "/api/v1/payout-batches", programme ? { programme_id: programme } : {},
      { "Idempotency-Key": crypto.randomUUID() });
    await showBatch(batch.id);
  });
});
$("show-batch").addEventListener("click", () => attempt("batch-error", () => showBatch($("batch-id").value)));
$("release-batch").addEventListener("click", () => attempt("batch-error", async () => {
  await call("POST", `/api/v1/payout-batches/${$("batch-id").value}/release`, {});
  await showBatch($("batch-id").value);
}));

// --- audit -------------------------------------------------------------------------------
$("audit-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  const entity = new FormData(event.target).get("entity");
  await attempt("audit-error", async () => {
    const page = await call("GET", `/api/v1/audit${entity ? `?entity=${encodeURIComponent(entity)}` : ""}`);
    $("audit").tBodies[0].replaceChildren(...page.items.map((a) => el("tr", {},
      el("td", {}, dateOf(a.at)), el("td", {}, a.actor_role || a.actor_id || ""), el("td", {}, a.action),
      el("td", {}, a.entity_id || ""), el("td", {}, [].concat(a.fields || []).join(", ")))));
  });
});

showHealth();
render().catch(() => {});
