/** The lists: client accounts with chats (CH-10), one account's threads (CH-8), every thread
 * the person may see (CH-9). Each reloads when the socket reports a change. */
import { useState } from "preact/hooks";
import type { AccountChats, TasksView, ThreadView } from "./api";
import { clean } from "./editor";
import { THREAD_EVENTS, isFirm, useLiveLoad, useSession } from "./session";

const FILTERS = [
  ["all", "All"],
  ["active", "With active chats"],
  ["unread", "With unread"],
  ["archived", "With archived chats"],
] as const;

export function Badge({ count, label }: { count: number; label: string }) {
  if (count <= 0) return null;
  return (
    <span class="badge" aria-label={`${count} ${label}`} data-testid="unread">
      {count}
    </span>
  );
}

export function AccountsPage() {
  const { api, accounts } = useSession();
  const [filter, setFilter] = useState<string>("all");
  const [rows, setRows] = useState<AccountChats[] | null>(null);
  useLiveLoad(
    async () => setRows((await api.chatAccounts(filter)).accounts),
    (frame) => THREAD_EVENTS.has(frame.type),
    [filter],
  );
  return (
    <section aria-labelledby="accounts-title">
      <div class="heading">
        <h1 id="accounts-title">Client accounts</h1>
        <label class="inline">
          Show{" "}
          <select value={filter} onChange={(event) => setFilter(event.currentTarget.value)}>
            {FILTERS.map(([value, text]) => (
              <option value={value}>{text}</option>
            ))}
          </select>
        </label>
      </div>
      {rows === null ? (
        <p role="status">Loading…</p>
      ) : rows.length === 0 ? (
        <p>No client account has chats here yet.</p>
      ) : (
        <ul class="rows" aria-label="Client accounts">
          {rows.map((row) => (
            <li key={row.account_id}>
              <a class="row" href={`#/accounts/${row.account_id}`}>
                <span class="title">{accounts.get(row.account_id)?.name ?? row.account_id}</span>
                <span class="meta">
                  {row.active} active · {row.archived} archived · {row.messages} messages
                </span>
                <Badge count={row.unread} label="unread" />
              </a>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

function ThreadRows({ threads }: { threads: ThreadView[] }) {
  const { accounts, me } = useSession();
  if (threads.length === 0) return <p>No threads here.</p>;
  return (
    <ul class="rows" aria-label="Threads">
      {threads.map((thread) => (
        <li key={thread.thread_id}>
          <a class="row" href={`#/threads/${thread.thread_id}`} data-thread={thread.thread_id}>
            <span class="title">{thread.subject}</span>
            <span class="meta">
              {isFirm(me) && <>{accounts.get(thread.account_id)?.name ?? thread.account_id} · </>}
              {thread.last_author.name} · {new Date(thread.last_activity_at).toLocaleString()}
            </span>
            {thread.tasks_total > 0 && (
              <span class="task-count" aria-label={`${thread.tasks_done} of ${thread.tasks_total} tasks done`}>
                ☑ {thread.tasks_done}/{thread.tasks_total}
              </span>
            )}
            <Badge count={thread.unread} label="unread" />
          </a>
        </li>
      ))}
    </ul>
  );
}

function Tabs({ status, onChange }: { status: string; onChange: (status: string) => void }) {
  const tab = (value: string, text: string) => (
    <button
      type="button"
      role="tab"
      aria-selected={status === value}
      class={status === value ? "tab current" : "tab"}
      onClick={() => onChange(value)}
    >
      {text}
    </button>
  );
  return (
    <div role="tablist" aria-label="Thread status" class="tabs">
      {tab("active", "Active")}
      {tab("archived", "Archived")}
    </div>
  );
}

/** One account's threads (`accountId`), or every thread the person may see. */
const TASK_FILTERS = [
  ["all", "All threads"],
  ["not_completed", "Tasks not completed"],
  ["completed", "Tasks completed"],
  ["with_tasks", "All with tasks"],
] as const;

/** TK-7: the client's open tasks, by thread, tickable here. */
function OpenTasks() {
  const { api } = useSession();
  const [rows, setRows] = useState<{ thread: ThreadView; tasks: TasksView }[]>([]);
  const load = async () => setRows((await api.openTasks()).threads);
  useLiveLoad(load, (frame) => THREAD_EVENTS.has(frame.type), []);
  if (rows.length === 0) return null;
  return (
    <section class="tasks" aria-label="Open tasks">
      <h2>Waiting for you</h2>
      <ul>
        {rows.flatMap(({ thread, tasks }) =>
          tasks.tasks.map((task) => (
            <li key={task.task_id} data-task={task.task_id}>
              <label>
                <input
                  type="checkbox"
                  onChange={() => api.setTaskDone(thread.thread_id, task.task_id, true).then(load)}
                />
                <span dangerouslySetInnerHTML={{ __html: clean(task.html) }} />
              </label>
              <a href={`#/threads/${thread.thread_id}`}>{thread.subject}</a>
            </li>
          )),
        )}
      </ul>
    </section>
  );
}

export function ThreadsPage({ accountId }: { accountId?: string }) {
  const { api, accounts, me } = useSession();
  const [status, setStatus] = useState("active");
  const [tasks, setTasks] = useState("all");
  const [threads, setThreads] = useState<ThreadView[] | null>(null);
  useLiveLoad(
    async () =>
      setThreads(
        (accountId ? await api.accountThreads(accountId, status, tasks) : await api.threads(status)).threads,
      ),
    (frame) => THREAD_EVENTS.has(frame.type),
    [accountId, status, tasks],
  );
  const title = accountId
    ? (accounts.get(accountId)?.name ?? "Client account")
    : isFirm(me)
      ? "All chats"
      : "Your threads";
  const mayStart = isFirm(me) || me.settings.clients_can_start_threads;
  return (
    <section aria-labelledby="threads-title">
      <div class="heading">
        <h1 id="threads-title">{title}</h1>
        {mayStart && (
          <a class="button" href={accountId ? `#/new/${accountId}` : "#/new"}>
            New thread
          </a>
        )}
      </div>
      {!isFirm(me) && !accountId && <OpenTasks />}
      <Tabs status={status} onChange={setStatus} />
      {accountId && (
        <label class="inline">
          Tasks{" "}
          <select value={tasks} onChange={(event) => setTasks(event.currentTarget.value)}>
            {TASK_FILTERS.map(([value, text]) => (
              <option value={value}>{text}</option>
            ))}
          </select>
        </label>
      )}
      <div role="tabpanel">{threads === null ? <p role="status">Loading…</p> : <ThreadRows threads={threads} />}</div>
    </section>
  );
}
