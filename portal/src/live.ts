/** The WebSocket: a single-use ticket from the HTTP API, then `?ticket=`. After a drop it
 * reconnects with a fresh ticket and tells its listeners to catch up on what they missed. */
import { AccessEnded, type Api } from "./api";

export type Frame = { type: string; [field: string]: unknown };
type Listener = (frame: Frame) => void;

const RETRY_MS = [500, 1000, 2000, 5000, 10000];

export class Live {
  private socket: WebSocket | null = null;
  private listeners = new Set<Listener>();
  private attempt = 0;
  private closed = false;
  private everOpened = false;

  constructor(
    private readonly api: Api,
    private readonly onEnded: (error: AccessEnded) => void,
  ) {}

  start(): void {
    this.closed = false;
    void this.connect();
  }

  stop(): void {
    this.closed = true;
    this.socket?.close();
    this.socket = null;
  }

  /** Frames pushed to this person; `{type: "resync"}` after a reconnect. */
  listen(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  send(frame: Record<string, unknown>): void {
    if (this.socket?.readyState === WebSocket.OPEN) this.socket.send(JSON.stringify(frame));
  }

  private emit(frame: Frame): void {
    for (const listener of this.listeners) listener(frame);
  }

  private async connect(): Promise<void> {
    let ticket: string;
    try {
      ticket = (await this.api.ticket()).ticket;
    } catch (error) {
      // Refused a ticket: the access has ended (the socket was closed for that reason).
      if (error instanceof AccessEnded) this.onEnded(error);
      else this.retry();
      return;
    }
    if (this.closed) return;
    const socket = new WebSocket(`${this.api.config.websocket}?ticket=${encodeURIComponent(ticket)}`);
    this.socket = socket;
    socket.onopen = () => {
      this.attempt = 0;
      if (this.everOpened) this.emit({ type: "resync" });
      this.everOpened = true;
      document.documentElement.dataset.live = "open";
    };
    socket.onmessage = (event) => {
      try {
        this.emit(JSON.parse(String(event.data)) as Frame);
      } catch {
        // not a frame of ours
      }
    };
    socket.onclose = () => {
      document.documentElement.dataset.live = "closed";
      if (this.socket === socket) this.retry();
    };
  }

  private retry(): void {
    if (this.closed) return;
    const delay = RETRY_MS[Math.min(this.attempt, RETRY_MS.length - 1)];
    this.attempt += 1;
    window.setTimeout(() => void this.connect(), delay);
  }
}
