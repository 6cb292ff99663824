// The dashboard's client: sign-in, then monthly counts (ECharts), the key figures per fiscal year
// (GET /api/kpis, with each year's source) and the latest records.
// Each panel shows what its own request returned: on a failure its error (in the page's language)
// replaces it and nothing stale is left. Suppressed cells (n: null from /api/cats/stats) are drawn
// as gaps over a hatched band, never as 0, and the tooltip and legend say "suppressed (< N)".
/* global echarts */
const $ = (id) => document.getElementById(id);
const t = JSON.parse(document.body.dataset.strings || "{}");
const chart = echarts.init($("chart"));
const HATCH = { symbol: "rect", dashArrayX: [1, 0], dashArrayY: [2, 4], rotation: Math.PI / 4, color: "#9aa5b1" };
let generation = 0;

class ApiError extends Error {
  constructor(status, message) {
    super(message);
    this.status = status;
  }
}

async function api(path, init) {
  let res;
  try {
    res = await fetch(`/api${path}`, { credentials: "same-origin", ...init });
  } catch {
    throw new ApiError(0, t.unreachable);
  }
  if (res.status === 401) {
    show(false);
    throw new ApiError(401, "unauthenticated");
  }
  const body = await res.json().catch(() => ({}));
  if (!res.ok) throw new ApiError(res.status, body.error?.message ?? res.statusText);
  return body;
}

/** What to tell the user about a failed request, in their language (the server's words otherwise). */
function reason(error) {
  if (error.status === 403) return t.forbidden;
  if (error.status === 429) return t.rateLimited;
  if (error.status === 0) return t.unreachable;
  return error.message;
}

function panelError(id, title, error) {
  $(id).textContent = error ? `${title}: ${reason(error)}` : "";
  $(id).hidden = !error;
}

function show(signedIn) {
  $("login").hidden = signedIn;
  $("dashboard").hidden = !signedIn;
  $("signout").hidden = !signedIn;
  if (signedIn) chart.resize();
}

const suppressedLabel = (minCell) => t.suppressed.replace("{n}", String(minCell));
const escapeHtml = (s) => String(s).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** Series per type; a cell whose rows are all suppressed is a gap marked `suppressed`, never 0. */
function chartOption(stats) {
  const label = suppressedLabel(stats.minCell);
  const months = [...new Set(stats.monthly.map((r) => r.month))].sort();
  const types = [...new Set(stats.monthly.map((r) => r.type ?? "all"))];
  const series = types.map((type) => ({
    name: type,
    type: "bar",
    stack: "total",
    data: months.map((m) => {
      const rows = stats.monthly.filter((r) => r.month === m && (r.type ?? "all") === type);
      const hidden = rows.filter((r) => r.suppressed || r.n === null).length;
      const value = rows.reduce((s, r) => s + (r.n ?? 0), 0);
      if (rows.length === 0) return { value: "-" };
      if (hidden === rows.length) return { value: "-", suppressed: true };
      return hidden > 0 ? { value, suppressed: "partly" } : { value };
    }),
  }));
  const hatched = months.filter((_, i) => series.some((s) => s.data[i].suppressed));
  if (hatched.length > 0) {
    series.push({
      name: label,
      type: "bar",
      stack: "suppressed",
      data: months.map(() => "-"),
      itemStyle: { color: "#cbd2d9", decal: HATCH },
      markArea: {
        silent: true,
        itemStyle: { color: "#cbd2d9", opacity: 0.35, decal: HATCH },
        data: hatched.map((m) => [{ xAxis: m }, { xAxis: m }]),
      },
    });
  }
  const tooltip = (params) => {
    const rows = params.filter((p) => p.seriesName !== label && p.data && p.data.value !== undefined);
    const lines = rows
      .filter((p) => p.data.suppressed || p.data.value !== "-")
      .map((p) => {
        const d = p.data;
        const text = d.suppressed === true ? label : d.suppressed === "partly" ? `${d.value} + ${label}` : d.value;
        return `${p.marker}${escapeHtml(p.seriesName)}: ${escapeHtml(text)}`;
      });
    return [escapeHtml(params[0]?.axisValue ?? ""), ...lines].join("<br>");
  };
  return {
    tooltip: { trigger: "axis", formatter: tooltip },
    legend: { top: 0 },
    grid: { top: 40, left: 50, right: 20, bottom: 60 },
    xAxis: { type: "category", data: months },
    yAxis: { type: "value" },
    dataZoom: [{ type: "slider" }],
    series,
  };
}

function drawStats(stats) {
  const option = chartOption(stats);
  $("chart").hidden = false;
  $("empty").hidden = option.xAxis.data.length > 0;
  const anySuppressed = stats.monthly.some((r) => r.suppressed || r.n === null);
  $("suppressed-note").textContent = anySuppressed ? t.suppressedNote.replace("{n}", String(stats.minCell)) : "";
  $("suppressed-note").hidden = !anySuppressed;
  chart.setOption(option, true);
  chart.resize();
}

function clearStats() {
  chart.clear();
  $("chart").hidden = true;
  $("empty").hidden = true;
  $("suppressed-note").hidden = true;
}

function drawRecords(items) {
  const cols = items[0] ? Object.keys(items[0]).filter((k) => !k.startsWith("source")) : [];
  const head = document.createElement("tr");
  for (const c of cols) {
    const th = document.createElement("th");
    th.textContent = c;
    head.append(th);
  }
  $("records").tHead.replaceChildren(...(cols.length ? [head] : []));
  $("records").tBodies[0].replaceChildren(
    ...items.map((item) => {
      const tr = document.createElement("tr");
      for (const c of cols) {
        const td = document.createElement("td");
        td.textContent = item[c] ?? "";
        tr.append(td);
      }
      return tr;
    }),
  );
  $("records").hidden = false;
}

function clearRecords() {
  $("records").tHead.replaceChildren();
  $("records").tBodies[0].replaceChildren();
  $("records").hidden = true;
}

/** The KPI table's columns: field of GET /api/kpis, heading, and how a value is written. */
const KPI_COLUMNS = [
  ["intakes", "kpiIntakes", "count"],
  ["adoptions", "kpiAdoptions", "count"],
  ["returnsToOwner", "kpiReturnsToOwner", "count"],
  ["returnToField", "kpiReturnToField", "count"],
  ["euthanasia", "kpiEuthanasia", "count"],
  ["liveReleaseRate", "kpiLiveReleaseRate", "rate"],
  ["euthanasiaRate", "kpiEuthanasiaRate", "rate"],
  ["tnrOperations", "kpiTnr", "count"],
  ["complaints", "kpiComplaints", "count"],
  ["medianStayDays", "kpiMedianStay", "days"],
];
const BASIS = {
  records: "basisRecords",
  aggregates: "basisAggregates",
  "both→records": "basisBoth",
  mixed: "basisMixed",
};
const locale = () => (document.body.dataset.lang === "ja" ? "ja-JP" : "en-US");
const municipalityNames = new Map();

function kpiText(value, kind) {
  if (value === null || value === undefined) return "–";
  if (kind === "rate") return `${(value * 100).toFixed(1)}%`;
  if (kind === "days") return value.toLocaleString(locale(), { maximumFractionDigits: 1 });
  return value.toLocaleString(locale());
}

/** Rows per municipality and fiscal year, newest first; a withheld figure reads "< N", hatched, never 0. */
function drawKpis(body, showMunicipality) {
  const cell = (text, className) => {
    const td = document.createElement("td");
    td.textContent = text;
    if (className) td.className = className;
    return td;
  };
  const headings = [
    ...(showMunicipality ? [t.kpiMunicipality] : []),
    t.kpiFiscalYear,
    ...KPI_COLUMNS.map(([, key]) => t[key]),
    t.kpiBasis,
  ];
  const head = document.createElement("tr");
  for (const h of headings) {
    const th = document.createElement("th");
    th.textContent = h;
    head.append(th);
  }
  const items = [...body.items].sort(
    (a, b) => b.fiscalYear - a.fiscalYear || a.municipality.localeCompare(b.municipality),
  );
  const label = suppressedLabel(body.minCell);
  $("kpis").tHead.replaceChildren(...(items.length ? [head] : []));
  $("kpis").tBodies[0].replaceChildren(
    ...items.map((row) => {
      const tr = document.createElement("tr");
      tr.dataset.municipality = row.municipality;
      tr.dataset.fiscalYear = String(row.fiscalYear);
      if (showMunicipality) tr.append(cell(municipalityNames.get(row.municipality) ?? row.municipality));
      tr.append(cell(t.kpiFiscalYearLabel.replace("{y}", String(row.fiscalYear))));
      for (const [field, , kind] of KPI_COLUMNS) {
        const withheld = row.suppressed.includes(field);
        const td = cell(
          withheld ? `< ${body.minCell}` : kpiText(row[field], kind),
          withheld ? "num suppressed" : "num",
        );
        td.dataset.field = field;
        if (withheld) td.title = label;
        tr.append(td);
      }
      const basis = cell(t[BASIS[row.basis]] ?? row.basis ?? "");
      basis.dataset.field = "basis";
      tr.append(basis);
      return tr;
    }),
  );
  $("kpis").hidden = items.length === 0;
  $("kpis-empty").hidden = items.length > 0;
}

function clearKpis() {
  $("kpis").tHead.replaceChildren();
  $("kpis").tBodies[0].replaceChildren();
  $("kpis").hidden = true;
  $("kpis-empty").hidden = true;
}

let municipalitiesListed = false;

/**
 * Fills the municipality <select> once signed in: only municipalities with data
 * (`/api/municipalities?withData=1`, not the ~2,000 of the directory), named in the page's language.
 */
async function listMunicipalities() {
  if (municipalitiesListed) return;
  const body = await api("/municipalities?withData=1").catch(() => undefined);
  if (!body || municipalitiesListed) return;
  municipalitiesListed = true;
  const ja = document.body.dataset.lang === "ja";
  const select = $("municipality");
  const chosen = select.value;
  const options = body.items.map((m) => {
    municipalityNames.set(m.code, ja ? m.nameJa : m.nameEn);
    const option = document.createElement("option");
    option.value = m.code;
    option.textContent = `${ja ? m.nameJa : m.nameEn} (${ja ? m.prefectureJa : m.prefectureEn}, ${m.code})`;
    return option;
  });
  select.replaceChildren(select.options[0], ...options);
  select.value = chosen;
}

/** Fetches both panels; answers of an older choice (the user changed it meanwhile) are dropped. */
async function refresh() {
  const listed = listMunicipalities();
  const mine = ++generation;
  const current = () => mine === generation;
  const params = new URLSearchParams({ dataset: $("dataset").value });
  if ($("municipality").value) params.set("municipality", $("municipality").value);
  // Nothing of the previous choice stays on screen while this one loads.
  clearRecords();
  clearKpis();
  panelError("records-error", t.recordsFailed, undefined);
  panelError("kpis-error", t.kpisFailed, undefined);
  const kpiParams = new URLSearchParams();
  if ($("municipality").value) kpiParams.set("municipality", $("municipality").value);
  const kpis = api(`/kpis?${kpiParams}`).then(
    async (body) => {
      await listed; // the rows name municipalities as the select does
      if (current()) drawKpis(body, !$("municipality").value);
    },
    (error) => {
      if (!current() || error.status === 401) return;
      clearKpis();
      panelError("kpis-error", t.kpisFailed, error);
    },
  );
  const stats = api(`/cats/stats?${params}`).then(
    (body) => {
      if (!current()) return;
      show(true);
      panelError("chart-error", t.statsFailed, undefined);
      drawStats(body);
    },
    (error) => {
      if (!current() || error.status === 401) return;
      show(true);
      clearStats();
      panelError("chart-error", t.statsFailed, error);
    },
  );
  const recordParams = new URLSearchParams(params);
  recordParams.set("limit", "20");
  const records = api(`/cats?${recordParams}`).then(
    (body) => {
      if (current()) drawRecords(body.items);
    },
    (error) => {
      if (!current() || error.status === 401) return;
      clearRecords();
      panelError("records-error", t.recordsFailed, error);
    },
  );
  await Promise.all([stats, records, kpis]);
}

$("login").addEventListener("submit", async (event) => {
  event.preventDefault();
  const form = new FormData(event.target);
  const res = await fetch("/api/auth/login", {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ username: form.get("username"), password: form.get("password") }),
  });
  if (!res.ok) {
    $("login-error").textContent = (await res.json().catch(() => ({}))).error?.message ?? "sign-in failed";
    return;
  }
  $("login-error").textContent = "";
  void refresh();
});
$("signout").addEventListener("click", async () => {
  await fetch("/api/auth/logout", { method: "POST" });
  clearRecords();
  clearStats();
  clearKpis();
  municipalitiesListed = false;
  $("municipality").replaceChildren($("municipality").options[0]);
  show(false);
});
$("dataset").addEventListener("change", () => void refresh());
$("municipality").addEventListener("change", () => void refresh());
window.addEventListener("resize", () => chart.resize());
void refresh();
