// The chat page's client: asks the agent (POST /api/chat, server-sent events read from the fetch
// stream, since EventSource cannot POST), shows the answer as it streams, lists every tool call with
// its input and result, and lists the user's conversations (GET /api/chat/conversations).
const $ = (id) => document.getElementById(id);
const t = JSON.parse(document.body.dataset.strings || "{}");
const lang = document.body.dataset.lang === "ja" ? "ja" : "en";
let conversationId;
let busy = false;

function showError(message) {
  $("chat-error").textContent = message ? `${t.chatFailed}: ${message}` : "";
  $("chat-error").hidden = !message;
}

function statusMessage(status, fallback) {
  if (status === 401) return t.chatSignIn;
  if (status === 403) return t.forbidden;
  if (status === 429) return t.rateLimited;
  if (status === 0) return t.unreachable;
  return fallback;
}

async function getJson(path) {
  let res;
  try {
    res = await fetch(`/api${path}`, { credentials: "same-origin" });
  } catch {
    return { status: 0 };
  }
  const body = await res.json().catch(() => ({}));
  return { status: res.status, body };
}

function element(tag, className, text) {
  const el = document.createElement(tag);
  if (className) el.className = className;
  if (text !== undefined) el.textContent = text;
  return el;
}

const pretty = (value) => {
  if (typeof value === "string") {
    try {
      return JSON.stringify(JSON.parse(value), null, 2);
    } catch {
      return value;
    }
  }
  return JSON.stringify(value, null, 2);
};

/** One tool call as a <details>: the name (and "error"), its input and its result. */
function toolCallElement(call) {
  const details = element("details", `tool-call${call.isError ? " tool-error" : ""}`);
  details.dataset.tool = call.name;
  const summary = element("summary", "", call.name);
  details.append(summary);
  details.append(element("h4", "", t.chatToolInput), element("pre", "tool-input", pretty(call.input ?? {})));
  const result = element("pre", "tool-result", call.result === undefined ? "…" : pretty(call.result));
  details.append(element("h4", "", t.chatToolResult), result);
  if (call.isError) summary.append(element("span", "badge", ` ${t.chatToolError}`));
  return { details, result, summary };
}

/** A question and its answer: the question, the answer text, and the tool-call panel. */
function turnElement(question) {
  const turn = element("article", "turn");
  turn.append(element("p", "question", question));
  const answer = element("div", "answer");
  const tools = element("section", "tools");
  tools.append(element("h3", "", t.chatTools));
  tools.hidden = true;
  turn.append(answer, tools);
  $("messages").append(turn);
  return { turn, answer, tools };
}

function setModel(model, offline) {
  $("model").textContent = offline ? t.chatOffline : t.chatModel.replace("{m}", model);
  $("model").dataset.offline = String(Boolean(offline));
}

/** Reads `event:`/`data:` blocks from the response body as they arrive. */
async function* sseEvents(response) {
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = "";
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    buffer += value;
    let end = buffer.indexOf("\n\n");
    while (end >= 0) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      const data = block
        .split("\n")
        .filter((l) => l.startsWith("data:"))
        .map((l) => l.slice(5).trimStart())
        .join("\n");
      if (data) yield JSON.parse(data);
      end = buffer.indexOf("\n\n");
    }
  }
}

async function ask(question) {
  if (busy || !question.trim()) return;
  busy = true;
  $("send").disabled = true;
  showError("");
  $("examples").hidden = true;
  const view = turnElement(question);
  view.answer.textContent = t.chatThinking;
  view.answer.classList.add("pending");
  let text = "";
  const calls = new Map();
  try {
    let res;
    try {
      res = await fetch("/api/chat", {
        method: "POST",
        credentials: "same-origin",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ question, lang, ...(conversationId ? { conversationId } : {}) }),
      });
    } catch {
      throw new Error(t.unreachable);
    }
    if (!res.ok) {
      const body = await res.json().catch(() => ({}));
      throw new Error(statusMessage(res.status, body.error?.message ?? res.statusText));
    }
    for await (const event of sseEvents(res)) {
      if (event.type === "meta") {
        conversationId = event.conversationId;
        setModel(event.model, event.offline);
      } else if (event.type === "text") {
        if (view.answer.classList.contains("pending")) {
          view.answer.classList.remove("pending");
          view.answer.textContent = "";
        }
        text += event.delta;
        view.answer.textContent = text;
      } else if (event.type === "tool_call") {
        const shown = toolCallElement({ name: event.name, input: event.input });
        calls.set(event.id, shown);
        view.tools.hidden = false;
        view.tools.append(shown.details);
      } else if (event.type === "tool_result") {
        const shown = calls.get(event.id);
        if (shown) {
          shown.result.textContent = pretty(event.result);
          if (event.isError) {
            shown.details.classList.add("tool-error");
            shown.summary.append(element("span", "badge", ` ${t.chatToolError}`));
          }
        }
      } else if (event.type === "done") {
        view.answer.classList.remove("pending");
        view.answer.textContent = event.answer;
        view.turn.dataset.done = "true";
      } else if (event.type === "error") {
        throw new Error(event.message);
      }
    }
  } catch (error) {
    view.answer.classList.remove("pending");
    if (!text) view.answer.textContent = "";
    showError(error.message);
  } finally {
    busy = false;
    $("send").disabled = false;
    void listConversations();
  }
}

async function listConversations() {
  const { status, body } = await getJson("/chat/conversations");
  if (status !== 200) {
    if (status !== 503) showError(statusMessage(status, body?.error?.message ?? String(status)));
    else showError(body?.error?.message ?? "");
    return false;
  }
  $("conversations").replaceChildren(
    ...body.items.map((c) => {
      const li = element("li");
      const button = element("button", "link", c.title);
      button.type = "button";
      button.dataset.conversation = c.id;
      if (c.id === conversationId) li.className = "current";
      button.addEventListener("click", () => void openConversation(c.id));
      li.append(button, element("span", "note", ` ${c.updatedAt.slice(0, 16).replace("T", " ")}`));
      return li;
    }),
  );
  return true;
}

async function openConversation(id) {
  const { status, body } = await getJson(`/chat/conversations/${encodeURIComponent(id)}`);
  if (status !== 200) {
    showError(statusMessage(status, body?.error?.message ?? String(status)));
    return;
  }
  conversationId = id;
  $("messages").replaceChildren();
  $("examples").hidden = true;
  for (const turn of body.history) {
    const view = turnElement(turn.question);
    view.answer.textContent = turn.answer;
    view.turn.dataset.done = "true";
    for (const call of turn.toolCalls) {
      view.tools.hidden = false;
      view.tools.append(toolCallElement(call).details);
    }
  }
  void listConversations();
}

/** Example questions, about the busiest principal when the user may list principals. */
async function showExamples() {
  const { status, body } = await getJson("/trail/principals");
  const first = status === 200 ? body.principals?.[0]?.principal : undefined;
  const name = first ? first.split(/[/:]/).pop() : undefined;
  const examples = name
    ? [t.chatExample1, t.chatExample2, t.chatExample3, t.chatExample4].map((q) => q.replace("{p}", name))
    : [t.chatExample4];
  $("example-buttons").replaceChildren(
    ...examples.map((q) => {
      const button = element("button", "example", q);
      button.type = "button";
      button.addEventListener("click", () => {
        $("question").value = q;
        void ask(q);
      });
      return button;
    }),
  );
}

$("ask").addEventListener("submit", (event) => {
  event.preventDefault();
  const question = $("question").value;
  $("question").value = "";
  void ask(question);
});
$("question").addEventListener("keydown", (event) => {
  if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
    event.preventDefault();
    $("ask").requestSubmit();
  }
});
$("new-conversation").addEventListener("click", () => {
  conversationId = undefined;
  $("messages").replaceChildren();
  $("examples").hidden = false;
  showError("");
  void listConversations();
});

void (async () => {
  if (await listConversations()) await showExamples();
})();
