import { html } from "hono/html";
import { chatStrings, type Lang, STRINGS } from "./i18n.js";

/**
 * The chat with the CloudTrail agent (the Streamlit page of design document 000), for admins and
 * analysts: the answer streams in (POST /api/chat, server-sent events), each tool call the agent made
 * is listed with its input and result, example questions start a conversation, and the user's own
 * conversations are listed to reopen. Signed in with the dashboard's session cookie.
 */
export function chatPage(lang: Lang) {
  const t = STRINGS[lang];
  return html`<!doctype html>
<html lang="${lang}">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>${t.chat} — ${t.title}</title>
  <link rel="stylesheet" href="/assets/style.css">
</head>
<body data-lang="${lang}" data-strings="${JSON.stringify(chatStrings(lang))}">
  <header>
    <h1>${t.chat}</h1>
    <nav aria-label="${t.nav}">
      <a href="/?lang=${lang}">${t.dashboard}</a> ·
      <a href="?lang=ja" lang="ja">日本語</a> · <a href="?lang=en" lang="en">English</a>
    </nav>
  </header>
  <main class="chat-layout">
    <aside class="chat-side">
      <button id="new-conversation" type="button">${t.chatNew}</button>
      <h2>${t.chatHistory}</h2>
      <ul id="conversations"></ul>
    </aside>
    <section class="chat-main">
      <p class="note">${t.chatIntro}</p>
      <p id="model" class="note"></p>
      <p id="chat-error" class="error" role="alert" hidden></p>
      <div id="messages" aria-live="polite"></div>
      <div id="examples">
        <h2>${t.chatExamples}</h2>
        <div id="example-buttons"></div>
      </div>
      <form id="ask">
        <textarea id="question" name="question" rows="2" maxlength="4000" placeholder="${t.chatPlaceholder}" required></textarea>
        <button id="send" type="submit">${t.chatAsk}</button>
      </form>
    </section>
  </main>
  <script src="/assets/chat.js"></script>
</body>
</html>`;
}
