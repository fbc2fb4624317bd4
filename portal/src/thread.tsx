/** One thread (MS-1 to MS-8): live messages with authors and sent/read status, typing, the
 * composer; for the firm, archive, reopen, delete; for everyone, print. */
import DOMPurify from "dompurify";
import { useEffect, useRef, useState } from "preact/hooks";
import type { Author, MessageView, ThreadView } from "./api";
import { RichText, clean, isEmpty } from "./editor";
import type { Frame } from "./live";
import { isFirm, navigate, useSession } from "./session";
import { TaskPanel } from "./tasks";

const TYPING_SHOWN_MS = 4000;
const TYPING_SENT_EVERY_MS = 2500;

/** MS-5: read once anyone on the other side has read it. A client is told the status (and
 * how far its side's messages show read); the firm sees both sides' read positions. */
function status(message: MessageView, thread: ThreadView): "read" | "sent" {
  if (thread.audience === "client") return message.status;
  const otherSide = message.author.kind === "firm_user" ? thread.client_read_seq : thread.firm_read_seq;
  return message.seq <= (otherSide ?? 0) ? "read" : "sent";
}

/** Warns before leaving the page while a draft is unsent (MS-8). */
export function useDraftWarning(dirty: boolean): void {
  useEffect(() => {
    if (!dirty) return;
    const warn = (event: BeforeUnloadEvent) => {
      event.preventDefault();
      event.returnValue = "";
    };
    window.addEventListener("beforeunload", warn);
    return () => window.removeEventListener("beforeunload", warn);
  }, [dirty]);
}

function Message({ message, thread, mine }: { message: MessageView; thread: ThreadView; mine: boolean }) {
  const state = status(message, thread);
  return (
    <li class={mine ? "message mine" : "message"} data-seq={message.seq}>
      <div class="byline">
        <span class="author">{message.author.name}</span>
        <time dateTime={message.created_at}>{new Date(message.created_at).toLocaleString()}</time>
        {message.via === "email" && (
          <span class="via" data-testid="via-email">
            by email
          </span>
        )}
        {mine && (
          <span class={`status ${state}`} data-testid="status">
            {state === "read" ? "Read" : "Sent"}
          </span>
        )}
      </div>
      <div class="body" dangerouslySetInnerHTML={{ __html: clean(message.html) }} />
    </li>
  );
}

export function ThreadPage({ threadId }: { threadId: string }) {
  const { api, me, live, accounts, fail } = useSession();
  const [thread, setThread] = useState<ThreadView | null>(null);
  const [messages, setMessages] = useState<MessageView[]>([]);
  const [draft, setDraft] = useState("");
  const [typing, setTyping] = useState<Author | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [gone, setGone] = useState(false);
  const typingTimer = useRef<number | undefined>(undefined);
  const lastTypingSent = useRef(0);
  useDraftWarning(!isEmpty(draft));

  const markRead = () => {
    if (document.visibilityState === "visible") api.read(threadId).catch(() => undefined);
  };
  const load = async () => {
    const [view, page] = await Promise.all([api.thread(threadId), api.messages(threadId)]);
    setThread(view);
    setMessages([...page.messages].reverse());
    if (view.unread > 0) markRead();
  };
  const add = (message: MessageView) =>
    setMessages((known) =>
      known.some((one) => one.seq === message.seq)
        ? known
        : [...known, message].sort((a, b) => a.seq - b.seq),
    );

  useEffect(() => {
    setThread(null);
    setMessages([]);
    load().catch((caught) => {
      if ((caught as { status?: number }).status === 404) setGone(true);
      else fail(caught);
    });
    const stop = live.listen((frame: Frame) => {
      if (frame.type === "resync") {
        load().catch(fail);
        return;
      }
      const about = (frame.thread as ThreadView | undefined)?.thread_id ?? frame.thread_id;
      if (about !== threadId) return;
      if (frame.type === "tasks") {
        setThread((known) => (known ? { ...known, ...(frame.thread as ThreadView), unread: 0 } : known));
        const update = frame.message as MessageView | null;
        if (update)
          setMessages((known) =>
            [...known.filter((one) => one.seq !== update.seq), update].sort((a, b) => a.seq - b.seq),
          );
      } else if (frame.type === "message") {
        const message = frame.message as MessageView;
        setThread((known) => (known ? { ...known, ...(frame.thread as ThreadView), unread: 0 } : known));
        add(message);
        setTyping(null);
        if (!message.mine) markRead();
      } else if (frame.type === "read" && frame.audience === "client") {
        const upTo = frame.read_up_to as number;
        setMessages((known) =>
          known.map((one) =>
            one.author.kind === "client_user" && one.seq <= upTo ? { ...one, status: "read" } : one,
          ),
        );
      } else if (frame.type === "read") {
        setThread((known) =>
          known?.audience === "firm"
            ? {
                ...known,
                client_read_seq: frame.client_read_seq as number,
                firm_read_seq: frame.firm_read_seq as number,
              }
            : known,
        );
      } else if (frame.type === "typing") {
        setTyping(frame.author as Author);
        window.clearTimeout(typingTimer.current);
        typingTimer.current = window.setTimeout(() => setTyping(null), TYPING_SHOWN_MS);
      } else if (frame.type === "thread_archived" || frame.type === "thread_reopened") {
        setThread((known) => (known ? { ...known, ...(frame.thread as ThreadView) } : known));
      } else if (frame.type === "thread_deleted") {
        setGone(true);
      }
    });
    return () => {
      stop();
      window.clearTimeout(typingTimer.current);
    };
  }, [threadId]);

  if (gone) return <p role="alert">This thread no longer exists, or you no longer have access to it.</p>;
  if (!thread) return <p role="status">Loading…</p>;

  const send = async () => {
    if (isEmpty(draft)) return;
    setError(null);
    try {
      add(await api.post(threadId, draft));
      setDraft("");
    } catch (caught) {
      setError(caught instanceof Error ? caught.message : String(caught));
    }
  };
  const typed = () => {
    const now = Date.now();
    if (now - lastTypingSent.current < TYPING_SENT_EVERY_MS) return;
    lastTypingSent.current = now;
    live.send({ action: "typing", thread_id: threadId });
  };
  const act = async (what: () => Promise<unknown>) => {
    try {
      await what();
      setThread({ ...thread, ...(await api.thread(threadId)) });
    } catch (caught) {
      setError(caught instanceof Error ? caught.message : String(caught));
    }
  };
  const archived = thread.status === "archived";
  const firm = isFirm(me);

  // The server's printable page, shown only to the printer (a new window would inherit this
  // page's policy, which refuses the page's inline style).
  const print = async () => {
    const page = new DOMParser().parseFromString(await api.printable(threadId), "text/html");
    const sheet = document.createElement("div");
    sheet.className = "printable";
    sheet.innerHTML = DOMPurify.sanitize(page.body.innerHTML);
    document.body.append(sheet);
    window.addEventListener("afterprint", () => sheet.remove(), { once: true });
    window.print();
  };

  return (
    <article class="thread" aria-labelledby="thread-title">
      <header class="heading">
        <div class="grow">
          <h1 id="thread-title">{thread.subject}</h1>
          <p class="meta">
            {firm && <>{accounts.get(thread.account_id)?.name ?? thread.account_id} · </>}
            {archived ? "Archived" : "Active"}
          </p>
        </div>
        <div class="actions">
          <button type="button" onClick={() => print().catch(fail)}>
            Print
          </button>
          {firm &&
            (archived ? (
              <button type="button" onClick={() => act(() => api.reopen(threadId))}>
                Reopen
              </button>
            ) : (
              <button
                type="button"
                onClick={() => window.confirm("Archive this thread? Nobody can reply until it is reopened.") && act(() => api.archive(threadId))}
              >
                Archive
              </button>
            ))}
          {firm && (
            <button
              type="button"
              class="danger"
              onClick={async () => {
                if (!window.confirm("Delete this thread and every message for good?")) return;
                try {
                  await api.remove(threadId);
                  navigate(`#/accounts/${thread.account_id}`);
                } catch (caught) {
                  setError(caught instanceof Error ? caught.message : String(caught));
                }
              }}
            >
              Delete
            </button>
          )}
        </div>
      </header>
      <TaskPanel threadId={threadId} firm={firm} archived={archived} />
      <ol class="messages" aria-label="Messages" aria-live="polite">
        {messages.map((message) => (
          <Message key={message.seq} message={message} thread={thread} mine={message.mine} />
        ))}
      </ol>
      <p class="typing" aria-live="polite">
        {typing ? `${typing.name} is typing…` : ""}
      </p>
      {error && (
        <p role="alert" class="error">
          {error}
        </p>
      )}
      {archived ? (
        <p>This thread is archived{firm ? "; reopen it to reply." : "."}</p>
      ) : (
        <form
          class="composer"
          onSubmit={(event) => {
            event.preventDefault();
            void send();
          }}
        >
          <RichText label="Your message" value={draft} onInput={setDraft} onSubmit={send} onTyping={typed} />
          <div class="send">
            <span class="hint">Ctrl+Enter sends</span>
            <button type="submit" disabled={isEmpty(draft)}>
              Send
            </button>
          </div>
        </form>
      )}
    </article>
  );
}

export function NewThreadPage({ accountId }: { accountId?: string }) {
  const { api, me, accounts } = useSession();
  const [account, setAccount] = useState(accountId ?? me.account_id ?? "");
  const [subject, setSubject] = useState("");
  const [body, setBody] = useState("");
  const [error, setError] = useState<string | null>(null);
  useDraftWarning(subject.trim() !== "" || !isEmpty(body));
  const create = async () => {
    setError(null);
    try {
      const thread = await api.create(account, subject, body);
      setSubject("");
      setBody("");
      navigate(`#/threads/${thread.thread_id}`);
    } catch (caught) {
      setError(caught instanceof Error ? caught.message : String(caught));
    }
  };
  return (
    <section aria-labelledby="new-title">
      <h1 id="new-title">New thread</h1>
      <form
        class="stack"
        onSubmit={(event) => {
          event.preventDefault();
          void create();
        }}
      >
        {isFirm(me) && (
          <label>
            Client account
            <select value={account} onChange={(event) => setAccount(event.currentTarget.value)} required>
              <option value="">Choose an account</option>
              {[...accounts.values()].map((one) => (
                <option value={one.account_id}>{one.name}</option>
              ))}
            </select>
          </label>
        )}
        <label>
          Subject
          <input value={subject} maxLength={200} required onInput={(event) => setSubject(event.currentTarget.value)} />
        </label>
        <RichText label="First message" value={body} onInput={setBody} onSubmit={create} />
        {error && (
          <p role="alert" class="error">
            {error}
          </p>
        )}
        <button type="submit" disabled={!account || !subject.trim() || isEmpty(body)}>
          Start thread
        </button>
      </form>
    </section>
  );
}
