import { html } from "hono/html";
import { clientStrings, type Lang, STRINGS } from "./i18n.js";

/**
 * The dashboard (the QuickSight role): per-municipality charts drawn by ECharts from `/api/cats/stats`,
 * and the key figures per fiscal year from the marts (`/api/kpis`), each year with its source (records
 * or a published yearly table) and small figures shown as suppressed ("< N"), never as 0.
 * Server-rendered shell; data is fetched by `/assets/dashboard.js` with the session cookie. The
 * strings the script shows (errors, "suppressed (< N)") come in `data-strings`, in the page's language.
 * The municipality <select> is filled by the script once signed in, with the municipalities that have
 * data (GET /api/municipalities?withData=1), not the ~2,000 of the directory.
 */
export function dashboardPage(lang: Lang) {
  const t = STRINGS[lang];
  return html`<!doctype html>
<html lang="${lang}">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>${t.title}</title>
  <link rel="stylesheet" href="/assets/style.css">
</head>
<body data-lang="${lang}" data-strings="${JSON.stringify(clientStrings(lang))}">
  <header>
    <h1>${t.title}</h1>
    <nav>
      <a id="chat-link" href="/chat?lang=${lang}">${t.chat}</a> ·
      <a href="?lang=ja" lang="ja">日本語</a> · <a href="?lang=en" lang="en">English</a>
      <button id="signout" type="button" hidden>${t.signOut}</button>
    </nav>
  </header>
  <main>
    <form id="login" hidden>
      <h2>${t.signIn}</h2>
      <label>${t.username} <input name="username" autocomplete="username" required></label>
      <label>${t.password} <input name="password" type="password" autocomplete="current-password" required></label>
      <button type="submit">${t.signIn}</button>
      <p id="login-error" role="alert"></p>
    </form>
    <section id="dashboard" hidden>
      <div class="filters">
        <label>${t.municipality} <select id="municipality"><option value="">${t.all}</option></select></label>
        <label>${t.dataset}
          <select id="dataset">
            <option value="intakes">${t.intakes}</option>
            <option value="outcomes">${t.outcomes}</option>
            <option value="tnr">${t.tnr}</option>
            <option value="complaints">${t.complaints}</option>
          </select>
        </label>
      </div>
      <h2>${t.monthly}</h2>
      <p id="chart-error" class="error" role="alert" hidden></p>
      <div id="chart" class="chart" role="img" aria-label="${t.monthly}"></div>
      <p id="empty" hidden>${t.noData}</p>
      <p id="suppressed-note" class="note" hidden></p>
      <h2>${t.kpis}</h2>
      <p id="kpis-error" class="error" role="alert" hidden></p>
      <p id="kpis-empty" hidden>${t.kpisEmpty}</p>
      <div class="table-scroll"><table id="kpis"><thead></thead><tbody></tbody></table></div>
      <h2>${t.recent}</h2>
      <p id="records-error" class="error" role="alert" hidden></p>
      <table id="records"><thead></thead><tbody></tbody></table>
    </section>
  </main>
  <script src="/assets/echarts.min.js"></script>
  <script src="/assets/dashboard.js"></script>
</body>
</html>`;
}
