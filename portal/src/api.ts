/** The HTTP API, typed from its published OpenAPI description (api-types.ts, generated). */
import type { components } from "./api-types";
import { idToken } from "./auth";
import type { PortalConfig } from "./config";

type Schemas = components["schemas"];
export type Me = Schemas["Me"];
export type ThreadView = Schemas["ThreadView"];
export type MessageView = Schemas["MessageView"];
export type AccountChats = Schemas["AccountChats"];
export type AccountView = Schemas["AccountView"];
export type Author = Schemas["Author"];
export type TasksView = Schemas["TasksView"];
export type TaskView = TasksView["tasks"][number];

/** A 401 or 403 on who-am-I: the person's access has ended. */
export class AccessEnded extends Error {}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

async function problem(response: Response): Promise<string> {
  try {
    const body = (await response.json()) as { message?: string; detail?: unknown };
    if (body.message) return body.message;
    if (typeof body.detail === "string") return body.detail;
  } catch {
    // not JSON: the status says enough
  }
  return `the request failed (${response.status})`;
}

export class Api {
  constructor(readonly config: PortalConfig) {}

  async call<T>(method: string, path: string, body?: unknown, signedIn = true): Promise<T> {
    const headers: Record<string, string> = {};
    if (signedIn) {
      const token = await idToken(this.config);
      if (!token) throw new AccessEnded("not signed in");
      headers.authorization = `Bearer ${token}`;
    }
    if (body !== undefined) headers["content-type"] = "application/json";
    const response = await fetch(this.config.httpApi + path, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (response.status === 401) throw new AccessEnded(await problem(response));
    if (!response.ok) throw new ApiError(response.status, await problem(response));
    if (response.status === 204) return undefined as T;
    const type = response.headers.get("content-type") ?? "";
    return (type.includes("json") ? await response.json() : await response.text()) as T;
  }

  async me(): Promise<Me> {
    try {
      return await this.call<Me>("GET", "/me");
    } catch (error) {
      if (error instanceof ApiError && error.status === 403) throw new AccessEnded(error.message);
      throw error;
    }
  }

  accounts = () => this.call<{ accounts: AccountView[] }>("GET", "/accounts?size=250");
  chatAccounts = (filter: string) =>
    this.call<{ accounts: AccountChats[] }>("GET", `/chat-accounts?filter=${filter}&size=250`);
  accountThreads = (accountId: string, status: string, tasks = "all") =>
    this.call<{ threads: ThreadView[] }>(
      "GET",
      `/accounts/${encodeURIComponent(accountId)}/threads?status=${status}&tasks=${tasks}&size=100`,
    );
  openTasks = () =>
    this.call<{ threads: { thread: ThreadView; tasks: TasksView }[] }>("GET", "/dashboard/tasks?size=100");
  threads = (status: string) =>
    this.call<{ threads: ThreadView[] }>("GET", `/threads?status=${status}&size=100`);
  thread = (id: string) => this.call<ThreadView>("GET", `/threads/${encodeURIComponent(id)}`);
  messages = (id: string) =>
    this.call<{ messages: MessageView[] }>("GET", `/threads/${encodeURIComponent(id)}/messages?size=100`);
  post = (id: string, body: string) =>
    this.call<MessageView>("POST", `/threads/${encodeURIComponent(id)}/messages`, {
      client_id: crypto.randomUUID(),
      body,
    });
  read = (id: string) => this.call<ThreadView>("POST", `/threads/${encodeURIComponent(id)}/read`, {});
  archive = (id: string) => this.call<ThreadView>("POST", `/threads/${encodeURIComponent(id)}/archive`);
  reopen = (id: string) => this.call<ThreadView>("POST", `/threads/${encodeURIComponent(id)}/reopen`);
  remove = (id: string) => this.call<void>("DELETE", `/threads/${encodeURIComponent(id)}`);
  printable = (id: string) => this.call<string>("GET", `/threads/${encodeURIComponent(id)}/print`);
  create = (accountId: string, subject: string, body: string) =>
    this.call<ThreadView>("POST", "/threads", {
      account_id: accountId,
      subject,
      message: { client_id: crypto.randomUUID(), body },
    });
  tasks = (id: string) => this.call<TasksView>("GET", `/threads/${encodeURIComponent(id)}/tasks`);
  addTasks = (id: string, texts: string[]) =>
    this.call<TasksView>("POST", `/threads/${encodeURIComponent(id)}/tasks`, {
      tasks: texts.map((text) => ({ task_id: crypto.randomUUID(), text })),
    });
  setTaskDone = (id: string, taskId: string, done: boolean) =>
    this.call<TasksView>(
      "PUT",
      `/threads/${encodeURIComponent(id)}/tasks/${encodeURIComponent(taskId)}/done`,
      { done },
    );
  deleteTask = (id: string, taskId: string) =>
    this.call<TasksView>("DELETE", `/threads/${encodeURIComponent(id)}/tasks/${encodeURIComponent(taskId)}`);
  reorderTasks = (id: string, seen: string[], order: string[]) =>
    this.call<TasksView>("PUT", `/threads/${encodeURIComponent(id)}/tasks/order`, { seen, order });
  resendTasks = (id: string) => this.call<TasksView>("POST", `/threads/${encodeURIComponent(id)}/tasks/resend`);
  ticket = () => this.call<{ ticket: string }>("POST", "/ws-tickets");
  accept = (token: string, password: string) =>
    this.call<void>("POST", "/invitations/accept", { token, password }, false);
}
