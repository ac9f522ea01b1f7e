// Admin UI: plain JavaScript over the public API (the same contract other systems use).
// One page; the hash names the view (#cases, #case/<id>, #register, #finance, #holds, #audit, #health).
// Elements with data-roles are shown only to those roles: the gateway would answer 403 anyway.
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
const today = () => new Date().toISOString().slice(0, 10);
const words = (text) => String(text ?? "").replaceAll("_", " ");
const caseInView = () => location.hash.split("/")[1];
const caseLink = (caseId) => (caseId ? el("a", { href: `#case/${caseId}` }, caseId.slice(0, 8)) : "");

function facts(list, pairs) {
  list.replaceChildren(...pairs.filter(([, v]) => v !== undefined && v !== null && v !== "")
    .flatMap(([k, v]) => [el("dt", {}, k), el("dd", {}, String(v))]));
}

// --- forms whose errors name their fields -----------------------------------------------
// A control's name is its path in the request body ("details.iban"), so the body is built from
// the form and a 400's field errors are shown next to the fields they name.
function setPath(target, path, value) {
  const keys = path.split(".");
  const last = keys.pop();
  keys.reduce((node, key) => (node[key] ??= {}), target)[last] = value;
}

// The control of that name that is sent: of fieldsets sharing a name, the one not disabled.
function enabledControl(form, name) {
  return [...form.querySelectorAll(`[name="${name}"]`)].find((c) => !c.matches(":disabled"));
}

function formBody(form) {
  const body = {};
  for (const control of form.elements) {
    if (!control.name || control.matches(":disabled, button, [type=file]")) continue;
    const value = control.value.trim();
    if (value !== "") setPath(body, control.name, "money" in control.dataset ? { amount: toMinorUnits(value), currency: "EUR" } : value);
  }
  return body;
}

function showFieldErrors(form, errorId, error) {
  const problem = (error.data && error.data.error) || {};
  const unplaced = [];
  for (const [name, reasons] of Object.entries(problem.fields || {})) {
    const text = [].concat(reasons).join(", ");
    const control = enabledControl(form, name);
    if (control) control.closest("label").append(el("span", { class: "field-error" }, text));
    else unplaced.push(`${name}: ${text}`);
  }
  $(errorId).textContent = [problem.message || error.message, ...unplaced].join(" — ");
}

async function attemptForm(form, errorId, action) {
  for (const old of form.querySelectorAll(".field-error")) old.remove();
  $(errorId).textContent = "";
  try { return await action(); } catch (error) { showFieldErrors(form, errorId, error); return undefined; }
}

// Shows only the fieldsets for the chosen route (data-switch) or kind (data-kind); the others
// are disabled, so their fields are not sent.
function switchFieldsets(form) {
  const chosen = { switch: form.querySelector(".route-switch")?.value, kind: form.querySelector(".kind-switch")?.value };
  for (const [attribute, value] of Object.entries(chosen)) {
    for (const set of form.querySelectorAll(`fieldset[data-${attribute}]`)) {
      set.hidden = set.disabled = set.dataset[attribute] !== value;
    }
  }
}

// Refills a select's options, keeping what the user chose if it is still offered.
function keepChoice(select, refill) {
  const chosen = select.value;
  refill();
  if ([...select.options].some((o) => o.value === chosen)) select.value = chosen;
}

// --- sign in and navigation --------------------------------------------------------------
// A fresh page: nothing the previous user saw stays in the document.
function signOut() {
  sessionStorage.clear();
  location.replace(location.pathname);
}

function allowed(node) { return node.dataset.roles === undefined || node.dataset.roles.split(" ").includes(state.role); }

async function loadProgrammes() {
  const { items } = await call("GET", "/api/v1/programmes");
  for (const select of document.querySelectorAll(".programme-choice")) {
    const keep = [...select.options].filter((o) => o.value === "");
    keepChoice(select, () => select.replaceChildren(...keep, ...items.map((p) => new Option(`${p.code} — ${p.name}`, p.id))));
  }
}

// Signing in and the hashchange it causes both ask for the view: it is drawn once.
async function render() {
  const key = `${state.role}:${location.hash}`;
  if (state.rendering === key) return;
  state.rendering = key;
  try { await draw(); } finally { if (state.rendering === key) state.rendering = null; }
}

async function draw() {
  const signedIn = Boolean(state.token);
  $("who").textContent = signedIn ? `Signed in as ${state.role}` : "";
  $("login-panel").hidden = signedIn;
  $("nav").hidden = !signedIn;
  $("sign-out").hidden = !signedIn;
  for (const node of document.querySelectorAll("#nav a, main [data-roles]")) node.hidden = !allowed(node);
  const [view, id] = location.hash.slice(1).split("/");
  for (const panel of document.querySelectorAll("[data-view]")) {
    panel.hidden = panel.dataset.view !== "health" && (!signedIn || panel.dataset.view !== view);
  }
  if (!signedIn) return;
  if (state.role !== "operations") await loadProgrammes().catch(() => {});
  if (view === "case" && id) await showCase(id);
  if (view === "cases") await searchCases();
  if (view === "finance") await showFinance();
  if (view === "holds") await showHolds();
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
      el("td", {}, caseLink(c.id)),
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
  el("label", { class: "check" }, el("input", { type: "checkbox", name: "vulnerability", value: factor }), words(factor))));

function registrationPayload(form) {
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
    consent: { given: form.get("consent") === "on", date: today(), scope: ["case_management"] },
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
    return el("li", {}, caseLink(other), ` — ${[].concat(d.reasons || []).join(", ")}`,
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
    ["Vulnerability", words([vulnerability.level, ...(vulnerability.factors || [])].filter(Boolean).join(", "))],
    ["Other vulnerability", vulnerability.other && `${vulnerability.other.text} (${vulnerability.other.status})`],
    ["Not eligible because", (found.eligibility_reasons || []).join("; ")]]);
  const sensitive = found.sensitive;
  $("case-sensitive").replaceChildren(found.protected && !sensitive
    ? el("p", { class: "protected" }, "Protected: sensitive details are visible to the assigned caseworker and supervisors only.")
    : (sensitive ? el("p", { class: "protected" }, `Sensitive: ${words(sensitive.vulnerability_factors.join(", "))}`) : ""));
  $("case-duplicates").replaceChildren(...duplicateItems(found.possible_duplicates, id));
  const targets = found.allowed_transitions || [];
  keepChoice($("transition-targets"), () => $("transition-targets").replaceChildren(...targets.map((t) => new Option(t, t))));
  $("transition-form").hidden = !["caseworker", "supervisor"].includes(state.role) || targets.length === 0;
  $("case-history").replaceChildren(...(found.history || []).map((h) =>
    el("li", {}, `${dateOf(h.at)} ${h.from_status || ""} → ${h.to_status} by ${h.actor_role || h.actor || ""}: ${h.reason || ""}`)));
  await showApplication(id, found.status);
  await showPlans(id);
  await showPayees(id);
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
  const id = caseInView();
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
  const id = caseInView();
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
    el("td", {}, el("select", { name: "category" }, ...PLAN_CATEGORIES.map((c) => new Option(words(c), c)))),
    el("td", {}, el("input", { name: "description", required: true })),
    el("td", {}, el("input", { name: "amount", inputmode: "decimal", required: true })),
    el("td", {}, el("input", { name: "justification" })));
}
$("add-line").addEventListener("click", () => $("plan-lines").tBodies[0].append(planLine()));

$("plan-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  const id = caseInView();
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
    await showCase(caseInView());
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

// --- payouts of a case: payout method, payees, instalments ----------------------------------
function detailsText(details, payees = []) {
  return Object.entries(details || {}).map(([key, value]) => {
    if (key === "payee_id") return (payees.find((p) => p.id === value) || { name: value }).name;
    return `${words(key)} ${typeof value === "object" ? Object.values(value).join(" ") : value}`;
  }).join(", ");
}

function authorisationText(authorisation) {
  const revoked = authorisation.revocation_reason ? ` (${authorisation.revocation_reason})` : "";
  return `${words(authorisation.relationship)}, authorisation ${authorisation.document_reference} signed ${authorisation.signed_on}: ${authorisation.status}${revoked}`;
}

function authorisationActions(payee, caseId) {
  const status = payee.authorisation && payee.authorisation.status;
  if (state.role !== "supervisor" || !status || status === "revoked") return [];
  const act = (path, body) => attempt("payees-error", async () => {
    await call("POST", `/api/v1/payees/${payee.id}/authorisation/${path}`, body);
    await showCase(caseId);
  });
  const revoke = () => { const reason = prompt("Why is the authorisation revoked?"); if (reason) act("revoke", { reason }); };
  return [status === "pending" ? el("button", { type: "button", onclick: () => act("approve", {}) }, "Approve the authorisation") : null,
    el("button", { type: "button", onclick: revoke }, "Revoke the authorisation")];
}

function payeeItem(payee, caseId) {
  const parts = [`${words(payee.kind)}: ${payee.name}`, `paid by ${words(payee.route)} (${detailsText(payee.details)})`];
  const paper = payee.document;  // the supplier's invoice or quote
  if (paper) parts.push(`${paper.kind} ${paper.reference} for ${money(paper.amount)}, plan line ${payee.plan_line_id}, committed ${money(paper.committed)}`);
  if (payee.authorisation) parts.push(authorisationText(payee.authorisation));
  parts.push(payee.payable ? "payable" : `not payable: ${payee.not_payable_because.join("; ")}`);
  return el("li", { class: "payee" }, parts.join(" — "), ...authorisationActions(payee, caseId));
}

function fillPayoutMethod(method) {
  const form = $("payout-method-form");
  form.elements.route.value = method.route;
  switchFieldsets(form);
  for (const [key, value] of Object.entries(method.details || {})) {
    const control = enabledControl(form, `details.${key}`);
    if (control && typeof value !== "object") control.value = value;
  }
}

async function showPayees(caseId) {
  const found = await call("GET", `/api/v1/cases/${caseId}/payees`).catch(() => ({ items: [] }));
  const method = (found.items || []).find((p) => p.kind === "beneficiary");
  const payees = (found.items || []).filter((p) => p.kind !== "beneficiary");
  $("payout-method-current").textContent = method
    ? `Paid by ${words(method.route)}: ${detailsText(method.details, payees)}` : "No payout method yet.";
  $("case-payees").replaceChildren(...payees.map((payee) => payeeItem(payee, caseId)));
  for (const select of document.querySelectorAll(".payee-choice")) {
    keepChoice(select, () => select.replaceChildren(...payees.filter((p) => p.kind === select.dataset.kind).map((p) => new Option(p.name, p.id))));
  }
  const caseworker = state.role === "caseworker";
  $("payout-method-form").hidden = $("payee-form").hidden = !caseworker;
  if (caseworker && method) fillPayoutMethod(method);
}

for (const form of [$("payout-method-form"), $("payee-form")]) {
  form.addEventListener("change", (event) => { if (event.target.matches(".route-switch, .kind-switch")) switchFieldsets(form); });
  switchFieldsets(form);
}

$("payout-method-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  const id = caseInView();
  await attemptForm(event.target, "payout-method-error", async () => {
    const body = formBody(event.target);
    await call("PUT", `/api/v1/cases/${id}/payout-method`, { route: body.route, details: body.details || {} });
    await showCase(id);
  });
});

$("payee-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  const id = caseInView();
  await attemptForm(event.target, "payee-error", async () => {
    await call("POST", `/api/v1/cases/${id}/payees`, { details: {}, ...formBody(event.target) });
    event.target.reset();
    switchFieldsets(event.target);
    await showCase(id);
  });
});

function payoutText(p) {
  const parts = [`${words(p.route)}: ${money(p.amount)} — ${p.status}`];
  if (p.failure_reason) parts.push(`failed: ${words(p.failure_reason)}`);
  if (p.exchange_rate) {
    const rate = p.exchange_rate;
    parts.push(`pays ${money(p.payout_amount)} at ${rate.rate} per ${p.amount.currency} (${rate.source} rate of ${rate.date})`);
  }
  if (p.voucher) {
    const expiry = p.voucher.expires_at ? ` until ${dateOf(p.voucher.expires_at)}` : "";
    parts.push(`voucher ${p.voucher.code}${expiry}${p.voucher.collectable ? "" : " (no longer collectable)"}`);
  }
  return parts.join(" — ");
}

async function showInstalments(caseId) {
  const found = await call("GET", `/api/v1/cases/${caseId}/instalments`).catch(() => ({ instalments: [] }));
  $("case-instalments").replaceChildren(el("ul", {}, ...(found.instalments || []).map((i) =>
    el("li", { class: "instalment" }, `Instalment ${i.number}: ${money(i.amount)} — ${words(i.status)}${i.paid && i.paid.amount ? `, paid ${money(i.paid)}` : ""}`,
      el("ul", {}, ...(i.payouts || []).map((p) => el("li", { class: "payout" }, payoutText(p))))))));
}

// --- finance: budget report ------------------------------------------------------------------
const EARMARKED = ["reserved", "paid", "returned"];

function earmarkedRows(items, key) {
  return items.map((item) => el("tr", {}, el("td", {}, item[key] ? words(item[key]) : "not known"),
    ...EARMARKED.map((figure) => el("td", {}, money(item[figure])))));
}

async function showBudget() {
  const programme = $("budget-programme").value;
  if (!programme) return;
  await attempt("budget-error", async () => {
    const budget = await call("GET", `/api/v1/programmes/${programme}/budget`);
    $("budget").tBodies[0].replaceChildren(...["total", "reserved", "paid", "returned", "available"]
      .map((k) => el("tr", {}, el("th", {}, k), el("td", {}, money(budget[k])))));
    $("budget-countries").tBodies[0].replaceChildren(...earmarkedRows(budget.by_country || [], "country"));
    $("budget-routes").tBodies[0].replaceChildren(...earmarkedRows(budget.by_route || [], "route"));
  });
}

async function showFinance() {
  await showBudget();
  if (state.role === "finance_officer") {
    await showBatches();
    await showFailedPayouts();
  }
  await showRates();
}
$("budget-programme").addEventListener("change", showFinance);

// Lists on the finance view are of the chosen programme, when one is chosen.
function addChosenProgramme(query) {
  const programme = $("budget-programme").value;
  if (programme) query.set("programme", programme);
}

// --- finance: batches ------------------------------------------------------------------------
function batchPayoutItem(p) {
  const payee = p.payee && p.payee.kind && p.payee.kind !== "beneficiary"
    ? ` to the ${words(p.payee.kind)}${p.payee.document_reference ? ` (${p.payee.document_reference})` : ""}` : "";
  return el("li", { class: "payout" }, caseLink(p.case_id), ` ${payoutText(p)}${payee}`);
}

function skippedList(skipped) {
  if (!skipped || skipped.length === 0) return [];
  return [el("h3", {}, "Left out of the batch (still due)"), el("ul", { id: "batch-skipped" }, ...skipped.map((s) =>
    el("li", {}, caseLink(s.case_id), ` — ${words(s.reason)}${s.detail ? `: ${s.detail}` : ""}`)))];
}

// The programme's latest batches; a prepared one waits for another officer to release it.
async function showBatches() {
  const query = new URLSearchParams({ limit: "20" });
  addChosenProgramme(query);
  await attempt("batch-error", async () => {
    const page = await call("GET", `/api/v1/payout-batches?${query}`);
    $("batches").tBodies[0].replaceChildren(...page.items.map((b) => el("tr", { class: `batch-row ${b.status}` },
      el("td", {}, el("button", { type: "button", class: "link", "data-batch": b.id,
        onclick: () => attempt("batch-error", () => showBatch(b.id)) }, b.id.slice(0, 8))),
      el("td", {}, b.status === "prepared" ? "waiting for release" : b.status),
      el("td", {}, String(b.payout_count)), el("td", {}, b.prepared_by), el("td", {}, b.released_by || ""),
      el("td", {}, dateOf(b.prepared_at)))));
  });
}

async function showBatch(id) {
  const batch = await call("GET", `/api/v1/payout-batches/${id}`);
  const progress = batch.progress || {};
  $("batch-id").value = batch.id;
  $("batch").replaceChildren(
    el("p", { class: "batch-summary" }, `Batch ${batch.id.slice(0, 8)} — ${batch.status}; prepared by ${batch.prepared_by || ""}${batch.released_by ? `, released by ${batch.released_by}` : ""}`),
    el("p", { class: "batch-progress" }, `${progress.total} payouts: ${progress.pending} pending, ${progress.submitted} submitted, ${progress.paid} paid, ${progress.failed} failed`),
    el("ul", { id: "batch-payouts" }, ...(batch.payouts || []).map(batchPayoutItem)),
    skippedList(batch.skipped));
  return batch;
}

// A released batch pays in the background: its view follows it until every payout is final.
async function followBatch(id) {
  const batch = await showBatch(id).catch(() => null);
  const stillShown = location.hash === "#finance" && $("batch-id").value === id;
  if (batch && batch.status === "released" && stillShown) setTimeout(() => followBatch(id), 1000);
  else if (stillShown) await showFinance();
}

$("batch-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  await attempt("batch-error", async () => {
    const programme = $("budget-programme").value;
    try {
      const batch = await call("POST", "/api/v1/payout-batches", programme ? { programme_id: programme } : {},
        { "Idempotency-Key": crypto.randomUUID() });
      await showBatch(batch.id);
      await showBatches();
    } catch (error) {
      // "No due instalment has a usable payout method" says which were left out and why.
      $("batch").replaceChildren(...skippedList(error.data && error.data.error && error.data.error.skipped));
      throw error;
    }
  });
});
$("show-batch").addEventListener("click", () => attempt("batch-error", () => showBatch($("batch-id").value)));
$("release-batch").addEventListener("click", () => attempt("batch-error", async () => {
  const id = $("batch-id").value;
  await call("POST", `/api/v1/payout-batches/${id}/release`, {});
  await followBatch(id);
}));

// --- finance: failed payouts -----------------------------------------------------------------
const BENEFICIARY_ROUTES = ["bank_account", "mobile_money", "cash_pickup", "prepaid_card"];

function decisionText(decision) {
  const released = decision.release_budget ? `, ${money(decision.released)} back to the budget` : "";
  return `${decision.decision}${decision.route ? ` to ${words(decision.route)}` : ""}${released}: ${decision.reason}`;
}

function decisionControls(payout) {
  const reason = el("input", { "aria-label": "reason", placeholder: "reason" });
  const route = el("select", { "aria-label": "new route" },
    ...BENEFICIARY_ROUTES.map((r) => new Option(words(r), r, false, r === payout.route)));
  const release = el("input", { type: "checkbox" });
  const decide = (path, body) => attempt("failed-error", async () => {
    await call("POST", `/api/v1/payouts/${payout.id}/${path}`, { reason: reason.value, ...body },
      { "Idempotency-Key": crypto.randomUUID() });
    await showFinance();
  });
  return [reason, route, el("button", { type: "button", onclick: () => decide("reroute", { route: route.value }) }, "Re-route"),
    el("label", { class: "check" }, release, "release the budget"),
    el("button", { type: "button", onclick: () => decide("return", { release_budget: release.checked }) }, "Return")];
}

async function showFailedPayouts() {
  const query = new URLSearchParams({ status: "failed" });
  addChosenProgramme(query);
  await attempt("failed-error", async () => {
    const page = await call("GET", `/api/v1/payouts?${query}`);
    $("failed-payouts").tBodies[0].replaceChildren(...page.items.map((p) => el("tr", {},
      el("td", {}, caseLink(p.case_id)), el("td", {}, words(p.route)), el("td", {}, money(p.amount)),
      el("td", {}, words(p.failure_reason)), el("td", {}, p.decision ? decisionText(p.decision) : decisionControls(p)))));
  });
}

// --- finance: exchange rates -----------------------------------------------------------------
async function showRates() {
  await attempt("rates-error", async () => {
    const { rates } = await call("GET", "/api/v1/exchange-rates");
    $("rates").tBodies[0].replaceChildren(...rates.slice(0, 100).map((r) => el("tr", {},
      ...[r.date, r.currency, r.rate, r.source, r.entered_by, r.note].map((v) => el("td", {}, v || "")))));
  });
}

$("rate-form").elements.date.value = today();
$("rate-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  await attemptForm(event.target, "rates-error", async () => {
    const body = formBody(event.target);
    const entered = await call("POST", "/api/v1/exchange-rates", { ...body, currency: body.currency.toUpperCase() });
    $("rates-result").textContent = `Entered ${entered.currency} ${entered.rate} per EUR for ${entered.date}`;
    event.target.reset();
    event.target.elements.date.value = today();
    await showRates();
  });
});

$("ecb-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  await attempt("rates-error", async () => {
    const answer = await call("POST", "/api/v1/exchange-rates/ecb", { csv: await event.target.elements.csv.files[0].text() });
    $("rates-result").textContent = "ECB file: " + (answer.days || []).map((d) =>
      `${d.date} ${d.imported} imported, ${d.updated} updated, ${d.unchanged} unchanged`).join("; ");
    await showRates();
  });
});

// --- held payouts ----------------------------------------------------------------------------
function holdActions(hold) {
  if (state.role !== "supervisor") return [];
  const reason = el("input", { "aria-label": "reason", placeholder: "reason" });
  const decide = (path) => attempt("holds-error", async () => {
    await call("POST", `/api/v1/payout-holds/${hold.id}/${path}`, { reason: reason.value });
    await showHolds();
  });
  return [reason, el("button", { type: "button", onclick: () => decide("release") }, "Pay as it is"),
    el("button", { type: "button", onclick: () => decide("reject") }, "Do not pay")];
}

async function showHolds() {
  await attempt("holds-error", async () => {
    const { holds } = await call("GET", "/api/v1/payout-holds");
    $("holds").tBodies[0].replaceChildren(...holds.map((h) => el("tr", {},
      el("td", {}, caseLink(h.case_id)), el("td", {}, words(h.route)), el("td", {}, money(h.amount)),
      el("td", {}, h.payee_name || ""), el("td", {}, h.provider_name || ""), el("td", {}, dateOf(h.held_at)),
      el("td", {}, holdActions(h)))));
  });
}

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
