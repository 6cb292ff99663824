// The dashboard's client: sign-in, then monthly counts (ECharts) and the latest records.
/* global echarts */
const lang = document.body.dataset.lang;
const $ = (id) => document.getElementById(id);
const chart = echarts.init($("chart"));

async function api(path, init) {
  const res = await fetch(`/api${path}`, { credentials: "same-origin", ...init });
  if (res.status === 401) {
    show(false);
    throw new Error("unauthenticated");
  }
  const body = await res.json();
  if (!res.ok) throw new Error(body.error?.message ?? res.statusText);
  return body;
}

function show(signedIn) {
  $("login").hidden = signedIn;
  $("dashboard").hidden = !signedIn;
  $("signout").hidden = !signedIn;
  if (signedIn) chart.resize();
}

async function refresh() {
  const params = new URLSearchParams({ dataset: $("dataset").value });
  if ($("municipality").value) params.set("municipality", $("municipality").value);
  const stats = await api(`/cats/stats?${params}`);
  show(true);
  const months = [...new Set(stats.monthly.map((r) => r.month))].sort();
  const types = [...new Set(stats.monthly.map((r) => r.type ?? "all"))];
  const series = types.map((type) => ({
    name: type,
    type: "bar",
    stack: "total",
    data: months.map((m) =>
      stats.monthly.filter((r) => r.month === m && (r.type ?? "all") === type).reduce((s, r) => s + r.n, 0),
    ),
  }));
  $("empty").hidden = months.length > 0;
  chart.setOption(
    {
      tooltip: { trigger: "axis" },
      legend: { top: 0 },
      grid: { top: 40, left: 50, right: 20, bottom: 60 },
      xAxis: { type: "category", data: months },
      yAxis: { type: "value" },
      dataZoom: [{ type: "slider" }],
      series,
    },
    true,
  );
  params.set("limit", "20");
  const records = await api(`/cats?${params}`);
  const cols = records.items[0] ? Object.keys(records.items[0]).filter((k) => !k.startsWith("source")) : [];
  $("records").tHead.innerHTML = `<tr>${cols.map((c) => `<th>${c}</th>`).join("")}</tr>`;
  $("records").tBodies[0].replaceChildren(
    ...records.items.map((item) => {
      const tr = document.createElement("tr");
      for (const c of cols) {
        const td = document.createElement("td");
        td.textContent = item[c] ?? "";
        tr.append(td);
      }
      return tr;
    }),
  );
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
    $("login-error").textContent = (await res.json()).error?.message ?? "sign-in failed";
    return;
  }
  $("login-error").textContent = "";
  refresh().catch(() => {});
});
$("signout").addEventListener("click", async () => {
  await fetch("/api/auth/logout", { method: "POST" });
  show(false);
});
$("dataset").addEventListener("change", () => refresh().catch(() => {}));
$("municipality").addEventListener("change", () => refresh().catch(() => {}));
window.addEventListener("resize", () => chart.resize());
void lang;
refresh().catch(() => {});
