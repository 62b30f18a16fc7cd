// The configurator page: one session of the service (/v1, docs/service.md) at a time. Every value
// the engine says no valid product has is shown unavailable, with its explanation and repairs on
// focus or hover; the state (domains, implied values, defaults, price range, count) comes back
// with every answer, so the page never guesses.
"use strict";

const page = {
  catalogId: "",
  catalog: null,     // GET /v1/catalogs/{id} .catalog
  variables: [],     // [{name, label, values: [{value, key, label, price}]}], in the engine's order
  session: "",
  token: "",
  state: null,
  alternatives: {},  // chosen variable -> values it could change to, every other choice kept
  suggestion: null,  // {name, key}: the value proposed for the question to ask next, if any
  busy: false,
  whyFor: "",        // key of the value whose explanation is shown
};

const $ = (id) => document.getElementById(id);

class ServiceError extends Error {}

async function api(method, path, body) {
  let response;
  try {
    response = await fetch(path, {
      method,
      headers: body === undefined ? {} : { "Content-Type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch (e) {
    throw new ServiceError("The configurator service cannot be reached. Check your connection and try again.");
  }
  let data = null;
  try {
    data = await response.json();
  } catch (e) {
    throw new ServiceError(`The service answered ${response.status} ${response.statusText} without a readable body.`);
  }
  if (!response.ok) {
    const error = data && data.error ? data.error : {};
    const err = new ServiceError(error.message || `The service answered ${response.status}.`);
    err.code = error.code || "";
    err.status = response.status;
    throw err;
  }
  return data;
}

function showError(message) {
  const box = $("error");
  box.textContent = message;
  box.hidden = !message;
}

function say(message) {
  $("status").textContent = message;
}

// One request sequence at a time; errors end up in words on the page.
async function run(task) {
  if (page.busy) return;
  page.busy = true;
  document.body.setAttribute("aria-busy", "true");
  setActions();
  try {
    showError("");
    await task();
  } catch (e) {
    if (e instanceof ServiceError && e.code === "unknown_session" && page.token) {
      showError("Your session had expired; it was restored from its link. Please try again.");
      await resume(page.token).catch((again) => showError(again.message));
    } else {
      showError(e instanceof ServiceError ? e.message : `Something went wrong in the page: ${e.message}`);
    }
  } finally {
    page.busy = false;
    document.body.removeAttribute("aria-busy");
    setActions();
  }
}

// --- Values and labels -------------------------------------------------------------------------

const keyOf = (value) => JSON.stringify(value);

function text(value) {
  if (value === true) return "Yes";
  if (value === false) return "No";
  return String(value);
}

function money(amount) {
  const currency = (page.catalog && page.catalog.currency) || "";
  const n = Number(amount);
  const shown = Number.isFinite(n) ? n.toFixed(2) : String(amount);
  return currency ? `${shown} ${currency}` : shown;
}

function priceTag(price) {
  if (price === undefined || price === null) return "";
  if (typeof price === "object") {
    if (price.percent) return `+${price.percent}%`;
    price = price.amount;
  }
  const n = Number(price);
  if (!n) return "";
  return `${n > 0 ? "+" : "−"}${money(Math.abs(n))}`;
}

// Labels and prices of every variable's values from the catalog description; the values
// themselves are those some valid product has (the domains before any choice).
function buildVariables(catalog, domains) {
  const options = new Map(catalog.options.map((o) => [o.id, o]));
  const slots = new Map(catalog.slots.map((s) => [s.id, s]));
  const services = new Map(catalog.services.map((s) => [s.id, s]));
  const blocks = new Map(catalog.blocks.map((b) => [b.id, b]));
  const products = new Map(catalog.products.map((p) => [p.id, p]));
  const out = [];
  for (const [name, values] of Object.entries(domains)) {
    let label = name;
    let describe = (v) => ({ label: text(v), price: undefined });
    if (name === "product") {
      label = "Product";
      describe = (v) => {
        const p = products.get(v);
        return { label: p ? p.label || p.id : text(v), price: undefined, base: p ? p.base_price : undefined };
      };
    } else if (options.has(name)) {
      const o = options.get(name);
      label = o.label || o.id;
      const byKey = new Map(o.values.map((x) => [keyOf(x.value), x]));
      describe = (v) => {
        const x = byKey.get(keyOf(v));
        return { label: x && x.label ? x.label : text(v), price: x ? x.price : undefined };
      };
    } else if (slots.has(name)) {
      const s = slots.get(name);
      label = s.label || s.id;
      describe = (v) => {
        if (v === "none") return { label: "None", price: undefined };
        const b = blocks.get(v);
        return { label: b ? b.label || b.id : text(v), price: b ? b.price : undefined };
      };
    } else if (services.has(name)) {
      const s = services.get(name);
      label = s.label || s.id;
      describe = (v) => ({ label: text(v), price: v === true ? s.price : undefined });
    }
    out.push({
      name,
      label,
      values: values.map((v) => ({ value: v, key: keyOf(v), ...describe(v) })),
    });
  }
  return out;
}

function variableLabel(name) {
  const variable = page.variables.find((v) => v.name === name);
  return variable ? variable.label : name;
}

// "Colour = White" for a value, or for the text of one as the engine writes choices ("true", "42").
function labelOf(name, value) {
  const variable = page.variables.find((v) => v.name === name);
  if (!variable) return `${name} = ${text(value)}`;
  const found = variable.values.find((x) => x.key === keyOf(value) || String(x.value) === String(value));
  return `${variable.label} = ${found ? found.label : text(value)}`;
}

// "NAME=VALUE" as the engine writes choices.
function splitChoice(choice) {
  const at = choice.indexOf("=");
  return at < 0 ? [choice, ""] : [choice.slice(0, at), choice.slice(at + 1)];
}

// --- Rendering ---------------------------------------------------------------------------------

function render() {
  const state = page.state;
  const form = $("variables");
  const focused = document.activeElement && document.activeElement.dataset
    ? document.activeElement.dataset.id : "";
  form.replaceChildren();
  for (const variable of page.variables) {
    const chosen = variable.name in state.chosen ? keyOf(state.chosen[variable.name]) : null;
    // A chosen variable offers the values it could change to; the others, their valid values.
    const valid = new Set(((chosen !== null && page.alternatives[variable.name]) ||
      state.domains[variable.name] || []).map(keyOf));
    const implied = variable.name in state.implied ? keyOf(state.implied[variable.name]) : null;
    const fallback = variable.name in state.defaults ? keyOf(state.defaults[variable.name]) : null;

    const set = document.createElement("fieldset");
    set.className = "variable";
    set.dataset.name = variable.name;
    const legend = document.createElement("legend");
    legend.textContent = variable.label;
    const note = document.createElement("span");
    note.className = "variable-note";
    if (chosen !== null) note.textContent = "(your choice)";
    else if (implied !== null) note.textContent = "(implied by your choices)";
    else if (valid.size === 0) note.textContent = "(nothing fits your choices)";
    legend.append(note);
    set.append(legend);

    const row = document.createElement("div");
    row.className = "values";
    for (const x of variable.values) {
      const button = document.createElement("button");
      button.type = "button";
      button.className = "value";
      button.dataset.id = `${variable.name}\u0000${x.key}`;
      button.dataset.name = variable.name;
      button.dataset.value = x.key;
      const available = valid.has(x.key);
      const isChosen = chosen === x.key;
      button.setAttribute("aria-pressed", String(isChosen));
      let state = available ? "available" : "unavailable";
      const name = document.createElement("span");
      name.textContent = x.label;
      button.append(name);
      const tag = priceTag(x.price);
      if (tag) {
        const price = document.createElement("span");
        price.className = "price-tag";
        price.textContent = tag;
        button.append(price);
      }
      if (!available) {
        button.setAttribute("aria-disabled", "true");
        button.setAttribute("aria-describedby", "why");
      } else if (isChosen) {
        state = "chosen";
      } else if (implied === x.key) {
        state = "implied";
        button.classList.add("implied");
        button.append(badge("implied"));
      } else if (page.suggestion && page.suggestion.name === variable.name &&
                 page.suggestion.key === x.key) {
        state = "suggested";
        button.classList.add("suggested");
        button.append(badge("suggested"));
      } else if (chosen === null && implied === null && fallback === x.key) {
        state = "default";
        button.classList.add("default");
        button.append(badge("default"));
      }
      button.dataset.state = state;
      button.setAttribute("aria-label", `${variable.label}: ${x.label}${tag ? ` (${tag})` : ""}, ${
        { available: "available", unavailable: "unavailable with your choices", chosen: "your choice",
          implied: "implied by your choices", default: "default",
          suggested: "suggested for you" }[state]}`);
      button.addEventListener("click", () => onValue(variable.name, x, available, isChosen));
      if (!available) {
        button.addEventListener("focus", () => explain(variable.name, x));
        button.addEventListener("mouseenter", () => explain(variable.name, x));
      }
      row.append(button);
    }
    set.append(row);
    form.append(set);
  }
  if (focused) {
    const again = [...form.querySelectorAll("button.value")].find((b) => b.dataset.id === focused);
    if (again) again.focus();
  }
  renderSummary();
}

function badge(word) {
  const span = document.createElement("span");
  span.className = "badge";
  span.textContent = word;
  span.setAttribute("aria-hidden", "true");
  return span;
}

function renderSummary() {
  const state = page.state;
  const price = state.price;
  let shown = "";
  if (!state.consistent) shown = "No product fits these choices";
  else if (price) {
    const range = price.max === null || price.max === undefined
      ? `from ${money(price.min)}`
      : Number(price.min) === Number(price.max) ? money(price.min)
        : `${money(price.min)} – ${money(price.max)}`;
    shown = range + (state.price_limited ? " (at least)" : "");
  } else if (state.price_limited) {
    shown = "Price not settled yet";
  }
  $("price").textContent = shown;
  $("price").dataset.min = price ? String(price.min) : "";
  $("price").dataset.max = price && price.max !== null ? String(price.max) : "";
  $("count").textContent = state.count
    ? `${BigInt(state.count).toLocaleString("en")} ${state.count === "1" ? "product fits" : "products fit"} your choices`
    : "";
  const link = new URL(window.location.href);
  link.hash = `catalog=${encodeURIComponent(page.catalogId)}&resume=${page.token}`;
  $("restore-link").href = link.toString();
  history.replaceState(null, "", link.hash ? `#${link.hash.slice(1)}` : "");
  setActions();
}

function setActions() {
  const ready = !page.busy && page.state !== null;
  $("undo").disabled = !ready;
  $("reset").disabled = !ready || Object.keys((page.state || { chosen: {} }).chosen).length === 0;
  $("complete").disabled = !ready || !page.state.consistent;
  $("catalog-select").disabled = page.busy;
}

// --- Session -----------------------------------------------------------------------------------

function take(answer) {
  page.session = answer.session;
  page.token = answer.token;
  if (answer.state) page.state = answer.state;
}

// The values a chosen variable could change to (the state's domains show its choice only).
async function refreshAlternatives() {
  page.alternatives = {};
  if (!page.state || Object.keys(page.state.chosen).length === 0) return;
  const answer = await api("POST", sessionPath("alternatives"), { resume: page.token });
  take(answer);
  page.alternatives = answer.alternatives.domains || {};
}

// The question the shop would ask next and the value it proposes (from what it sold and, in a
// session opened with a profile, what this customer chose before). Without a preference model
// every value scores the same: nothing is proposed.
async function refreshSuggestion() {
  page.suggestion = null;
  if (!page.state || !page.state.consistent) return;
  const answer = await api("POST", sessionPath("recommend_next"), { resume: page.token });
  take(answer);
  const next = answer.next;
  if (next && next.values.length > 1 && next.values[0].score > next.values[1].score) {
    page.suggestion = { name: next.name, key: keyOf(next.values[0].value) };
  }
}

async function show() {
  await refreshAlternatives();
  await refreshSuggestion();
  // A price range the service could not settle within its time (a busy server, a catalog priced
  // by search) is asked for again: the service keeps the work done so far.
  for (let i = 0; i < 3 && page.state && page.state.consistent && page.state.price_limited; ++i) {
    try {
      take(await api("GET", `/v1/sessions/${page.session}`));
    } catch (e) {
      break;  // the session moved on (dropped, resumed elsewhere): the next click settles it
    }
  }
  render();
}

async function openCatalog(id, token) {
  page.catalogId = id;
  page.state = null;
  $("result").hidden = true;
  hideWhy();
  say("Loading the catalog…");
  const described = await api("GET", `/v1/catalogs/${encodeURIComponent(id)}`);
  page.catalog = described.catalog;
  $("title").textContent = page.catalog.name || id;
  document.title = `${page.catalog.name || id} — configurator`;
  const all = await api("POST", `/v1/catalogs/${encodeURIComponent(id)}/domains`, {});
  if (all.status !== "ok") throw new ServiceError("This catalog makes no product at the moment.");
  page.variables = buildVariables(page.catalog, all.domains);
  const answer = await api("POST", `/v1/catalogs/${encodeURIComponent(id)}/sessions`,
    token ? { resume: token } : {});
  take(answer);
  await show();
  say(token ? "Your configuration is restored." : "Choose what you like; unavailable values say why.");
}

async function resume(token) {
  const answer = await api("POST", `/v1/catalogs/${encodeURIComponent(page.catalogId)}/sessions`, { resume: token });
  take(answer);
  await show();
}

const sessionPath = (verb) => `/v1/sessions/${page.session}/${verb}`;

function onValue(name, x, available, isChosen) {
  if (!available) {
    explain(name, x, true);
    return;
  }
  run(async () => {
    $("result").hidden = true;
    hideWhy();
    if (isChosen) {
      take(await api("POST", sessionPath("unchoose"), { name, resume: page.token }));
      say(`${labelOf(name, x.value)} is no longer chosen.`);
    } else {
      const answer = await api("POST", sessionPath("choose"), { name, value: x.value, resume: page.token });
      take(answer);
      if (!answer.accepted) {
        render();
        showExplanation(name, x, answer.explanation, []);
        say(`${labelOf(name, x.value)} is not available with your choices.`);
        return;
      }
      say(`Chosen: ${labelOf(name, x.value)}.`);
    }
    await show();
  });
}

// The explanation and repairs of an unavailable value; `fromClick` moves focus to them.
let explaining = 0;
async function explain(name, x, fromClick = false) {
  const key = `${name}\u0000${x.key}`;
  if (page.whyFor === key && !$("why").hidden) {
    if (fromClick) focusFirstRepair();
    return;
  }
  const ticket = ++explaining;
  try {
    const [why, fixes] = await Promise.all([
      api("POST", sessionPath("explain"), { name, value: x.value, resume: page.token }),
      api("POST", sessionPath("repairs"), { name, value: x.value, resume: page.token }),
    ]);
    if (ticket !== explaining) return;  // the pointer has moved on
    showExplanation(name, x, why.explanation, fixes.repairs);
    if (fromClick) focusFirstRepair();
  } catch (e) {
    if (ticket === explaining) showError(e.message);
  }
}

function hideWhy() {
  $("why").hidden = true;
  $("why").replaceChildren();
  page.whyFor = "";
}

function showExplanation(name, x, explanation, repairs) {
  const box = $("why");
  box.replaceChildren();
  page.whyFor = `${name}\u0000${x.key}`;
  const title = document.createElement("h2");
  title.textContent = `Why not ${labelOf(name, x.value)}?`;
  box.append(title);
  const because = document.createElement("p");
  const choices = (explanation && explanation.choices) || [];
  because.textContent = choices.length
    ? "It cannot be had together with:"
    : "No product of this catalog has it.";
  box.append(because);
  if (choices.length) {
    const list = document.createElement("ul");
    for (const c of choices) {
      const [n, v] = splitChoice(c);
      const item = document.createElement("li");
      item.textContent = labelOf(n, v);
      list.append(item);
    }
    box.append(list);
  }
  // As sumisura::shopper_rules: the designer's rules, the catalog's structure (slot sizes, a
  // product's slots) only when nothing else explains it.
  const every = (explanation && explanation.rules) || [];
  const designed = every.filter((r) => r.kind !== "slot" && r.kind !== "product");
  const rules = (designed.length ? designed : every).filter((r) => r.message);
  if (rules.length) {
    const list = document.createElement("ul");
    list.className = "rules";
    for (const r of rules) {
      const item = document.createElement("li");
      item.textContent = r.message;
      list.append(item);
    }
    box.append(list);
  }
  for (const repair of repairs || []) {
    const drop = repair.drop || [];
    if (!drop.length) continue;
    const button = document.createElement("button");
    button.type = "button";
    button.className = "repair";
    button.textContent = `Drop ${drop.map((c) => labelOf(...splitChoice(c))).join(", ")} and take ${labelOf(name, x.value)}`;
    button.addEventListener("click", () => applyRepair(name, x, drop));
    box.append(button);
  }
  box.hidden = false;
}

function focusFirstRepair() {
  const first = $("why").querySelector("button.repair");
  if (first) first.focus();
}

function applyRepair(name, x, drop) {
  run(async () => {
    for (const choice of drop) {
      const [n] = splitChoice(choice);
      take(await api("POST", sessionPath("unchoose"), { name: n, resume: page.token }));
    }
    const answer = await api("POST", sessionPath("choose"), { name, value: x.value, resume: page.token });
    take(answer);
    hideWhy();
    await show();
    say(answer.accepted ? `Chosen: ${labelOf(name, x.value)}.` : `${labelOf(name, x.value)} is still unavailable.`);
    const button = [...document.querySelectorAll("button.value")]
      .find((b) => b.dataset.name === name && b.dataset.value === x.key);
    if (button) button.focus();
  });
}

function renderResult(result) {
  const box = $("result");
  box.replaceChildren();
  const title = document.createElement("h2");
  box.append(title);
  if (!result.price) {
    title.textContent = result.status === "infeasible" ? "No product fits these choices"
      : "No product was found in time; try again or choose more";
    box.hidden = false;
    return;
  }
  const product = page.catalog.products.find((p) => p.id === result.product);
  title.textContent = `Your ${product ? product.label || product.id : "product"}`;

  const bom = table(["Part", "Slot", "Qty", "Price"], result.bom.map((line) => [
    line.label || line.block, line.slot, String(line.quantity), money(line.line_price)]), [2, 3]);
  bom.id = "bom";
  bom.setAttribute("aria-label", "Bill of materials, in assembly order");
  box.append(bom);

  const p = result.price;
  const rows = [["Base", p.base], ["Options", p.options], ["Parts", p.blocks], ["Services", p.services],
    ["Bundle savings", p.bundles], ["Customer tier", p.tier]]
    .filter(([, amount]) => Number(amount) !== 0)
    .map(([label, amount]) => [label, money(amount)]);
  rows.push(["Total", money(p.total)]);
  const breakdown = table(["Price", "Amount"], rows, [1]);
  breakdown.id = "breakdown";
  breakdown.lastChild.lastChild.className = "total";
  breakdown.dataset.total = String(p.total);
  box.append(breakdown);

  const measures = Object.entries(result.measures || {});
  if (measures.length) {
    const units = new Map((page.catalog.measures || []).map((m) => [m.id, m]));
    box.append(table(["Measure", "Value"], measures.map(([id, value]) => {
      const m = units.get(id);
      return [m ? m.label || id : id, `${value}${m && m.unit ? ` ${m.unit}` : ""}`];
    }), [1]));
  }
  if (result.services && result.services.length) {
    const p2 = document.createElement("p");
    p2.textContent = `Services: ${result.services.map(variableLabel).join(", ")}`;
    box.append(p2);
  }
  box.hidden = false;
}

function table(head, rows, numeric) {
  const t = document.createElement("table");
  const thead = document.createElement("thead");
  const tr = document.createElement("tr");
  head.forEach((h, i) => {
    const th = document.createElement("th");
    th.scope = "col";
    th.textContent = h;
    if (numeric.includes(i)) th.className = "num";
    tr.append(th);
  });
  thead.append(tr);
  const tbody = document.createElement("tbody");
  for (const row of rows) {
    const r = document.createElement("tr");
    row.forEach((cell, i) => {
      const td = document.createElement("td");
      td.textContent = cell;
      if (numeric.includes(i)) td.className = "num";
      r.append(td);
    });
    tbody.append(r);
  }
  t.append(thead, tbody);
  return t;
}

// --- Start -------------------------------------------------------------------------------------

function fromHash() {
  const params = new URLSearchParams(window.location.hash.slice(1));
  return { catalog: params.get("catalog") || "", resume: params.get("resume") || "" };
}

async function start() {
  $("undo").addEventListener("click", () => run(async () => {
    try {
      take(await api("POST", sessionPath("undo"), { resume: page.token }));
      say("Undone.");
    } catch (e) {
      if (e.status === 400) { say("Nothing to undo."); return; }
      throw e;
    }
    $("result").hidden = true;
    hideWhy();
    await show();
  }));
  $("reset").addEventListener("click", () => run(async () => {
    take(await api("POST", sessionPath("reset"), { resume: page.token }));
    $("result").hidden = true;
    hideWhy();
    await show();
    say("Every choice is cleared.");
  }));
  $("complete").addEventListener("click", () => run(async () => {
    const answer = await api("POST", sessionPath("complete"), { resume: page.token });
    take(answer);
    renderResult(answer.result);
    render();
    say(answer.result.price ? `Complete: ${money(answer.result.price.total)}.` : "No product was completed.");
    $("result").focus();
  }));
  $("result").tabIndex = -1;
  const select = $("catalog-select");
  select.addEventListener("change", () => run(() => openCatalog(select.value, "")));
  window.addEventListener("hashchange", () => {
    const wanted = fromHash();
    if (wanted.resume && wanted.resume !== page.token) {
      run(() => openCatalog(wanted.catalog || page.catalogId, wanted.resume));
    }
  });

  await run(async () => {
    const list = await api("GET", "/v1/catalogs");
    if (!list.catalogs.length) throw new ServiceError("This service serves no catalog.");
    for (const c of list.catalogs) {
      const option = document.createElement("option");
      option.value = c.id;
      option.textContent = c.name || c.id;
      select.append(option);
    }
    const wanted = fromHash();
    const known = list.catalogs.some((c) => c.id === wanted.catalog);
    select.value = known ? wanted.catalog : list.catalogs[0].id;
    try {
      await openCatalog(select.value, known ? wanted.resume : "");
    } catch (e) {
      if (!(known && wanted.resume)) throw e;
      await openCatalog(select.value, "");  // a stale link: start afresh, and say why
      showError(`The saved configuration could not be restored (${e.message}); a new one is started.`);
    }
  });
}

document.addEventListener("DOMContentLoaded", start);
