/** What every page of a signed-in person shares. */
import { createContext } from "preact";
import { useContext, useEffect, useRef } from "preact/hooks";
import type { AccountView, Api, Me } from "./api";
import type { Frame, Live } from "./live";

export interface Session {
  api: Api;
  me: Me;
  live: Live;
  accounts: Map<string, AccountView>;
  /** A failed call: access ended, or a message to show. */
  fail: (error: unknown) => void;
}

export const SessionContext = createContext<Session | null>(null);

export function useSession(): Session {
  const session = useContext(SessionContext);
  if (!session) throw new Error("no session");
  return session;
}

export const isFirm = (me: Me) => me.kind === "firm_user";

/** Runs `load` now and again whenever the socket says something that may change it. */
export function useLiveLoad(load: () => Promise<void>, wants: (frame: Frame) => boolean, deps: unknown[]) {
  const { live, fail } = useSession();
  const timer = useRef<number | undefined>(undefined);
  useEffect(() => {
    const run = () => load().catch(fail);
    run();
    const stop = live.listen((frame) => {
      if (frame.type !== "resync" && !wants(frame)) return;
      window.clearTimeout(timer.current);
      timer.current = window.setTimeout(run, 100);
    });
    return () => {
      stop();
      window.clearTimeout(timer.current);
    };
  }, deps);
}

export const THREAD_EVENTS = new Set([
  "message",
  "tasks",
  "read",
  "thread_created",
  "thread_archived",
  "thread_reopened",
  "thread_deleted",
]);

export function navigate(hash: string): void {
  window.location.hash = hash;
}
