/** The portal's entry: configuration, sign-in, and a hash router over the pages. */
import { render } from "preact";
import { useEffect, useMemo, useState } from "preact/hooks";
import { AccessEnded, Api, type AccountView, type Me } from "./api";
import { type Side, lastSide, signIn, signOut } from "./auth";
import { type PortalConfig, loadConfig } from "./config";
import { AccountsPage, ThreadsPage } from "./lists";
import { Live } from "./live";
import { type Session, SessionContext, isFirm } from "./session";
import { NewThreadPage, ThreadPage } from "./thread";
import "./styles.css";

type State =
  | { kind: "loading" }
  | { kind: "signed-out"; notice?: string }
  | { kind: "ended" }
  | { kind: "in"; me: Me; accounts: Map<string, AccountView> };

function useHash(): string {
  const [hash, setHash] = useState(window.location.hash);
  useEffect(() => {
    const changed = () => setHash(window.location.hash);
    window.addEventListener("hashchange", changed);
    return () => window.removeEventListener("hashchange", changed);
  }, []);
  return hash;
}

/** The firm whose sign-in page this is: `/firms/<firm id>/sign-in`, the link every
 * invitation names; remembered for the tab. */
function firmOfPage(): string | null {
  const named = /^\/firms\/([A-Za-z0-9_-]+)/.exec(window.location.pathname)?.[1];
  if (named) sessionStorage.setItem("firmchat.firm", named);
  return named ?? sessionStorage.getItem("firmchat.firm");
}

function SignIn({ config, notice, onIn }: { config: PortalConfig; notice?: string; onIn: () => void }) {
  const firm = firmOfPage();
  const [side, setSide] = useState<Side>(lastSide());
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  if (!firm)
    return (
      <main class="narrow" id="main">
        <h1>Sign in</h1>
        <p>Open your firm's sign-in link: it is in the email that invited you.</p>
      </main>
    );
  return (
    <main class="narrow" id="main">
      <h1>Sign in</h1>
      {notice && <p role="status">{notice}</p>}
      <form
        class="stack"
        onSubmit={async (event) => {
          event.preventDefault();
          setBusy(true);
          setError(null);
          try {
            await signIn(config, side, firm, email.trim(), password);
            onIn();
          } catch (caught) {
            setError(caught instanceof Error ? caught.message : String(caught));
          } finally {
            setBusy(false);
          }
        }}
      >
        <fieldset>
          <legend>I am</legend>
          <label class="inline">
            <input type="radio" name="side" checked={side === "firm"} onChange={() => setSide("firm")} /> with the firm
          </label>
          <label class="inline">
            <input type="radio" name="side" checked={side === "client"} onChange={() => setSide("client")} /> a client
          </label>
        </fieldset>
        <label>
          Email
          <input type="email" autoComplete="username" required value={email} onInput={(e) => setEmail(e.currentTarget.value)} />
        </label>
        <label>
          Password
          <input
            type="password"
            autoComplete="current-password"
            required
            value={password}
            onInput={(e) => setPassword(e.currentTarget.value)}
          />
        </label>
        {error && (
          <p role="alert" class="error">
            {error}
          </p>
        )}
        <button type="submit" disabled={busy}>
          Sign in
        </button>
      </form>
    </main>
  );
}

/** The invitation email's link: `/invitation#<token>`; the person chooses a password. */
function Invitation({ api }: { api: Api }) {
  const token = window.location.hash.slice(1);
  const firm = token.split(".")[0];
  const [password, setPassword] = useState("");
  const [again, setAgain] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState(false);
  if (done)
    return (
      <main class="narrow" id="main">
        <h1>Your login is ready</h1>
        <p>
          <a href={`/firms/${encodeURIComponent(firm)}/sign-in`}>Sign in</a> with your email and the password you
          chose.
        </p>
      </main>
    );
  return (
    <main class="narrow" id="main">
      <h1>Choose your password</h1>
      <form
        class="stack"
        onSubmit={async (event) => {
          event.preventDefault();
          if (password !== again) {
            setError("The two passwords differ.");
            return;
          }
          try {
            await api.accept(token, password);
            setDone(true);
          } catch (caught) {
            setError(caught instanceof Error ? caught.message : String(caught));
          }
        }}
      >
        <label>
          New password
          <input type="password" autoComplete="new-password" required value={password} onInput={(e) => setPassword(e.currentTarget.value)} />
        </label>
        <label>
          The same password again
          <input type="password" autoComplete="new-password" required value={again} onInput={(e) => setAgain(e.currentTarget.value)} />
        </label>
        {error && (
          <p role="alert" class="error">
            {error}
          </p>
        )}
        <button type="submit" disabled={!token}>
          Activate my login
        </button>
      </form>
    </main>
  );
}

function Page({ hash }: { hash: string }) {
  const parts = hash.replace(/^#\/?/, "").split("/");
  switch (parts[0]) {
    case "accounts":
      return parts[1] ? <ThreadsPage accountId={parts[1]} /> : <AccountsPage />;
    case "threads":
      return parts[1] ? <ThreadPage threadId={parts[1]} /> : <ThreadsPage />;
    case "new":
      return <NewThreadPage accountId={parts[1]} />;
    default:
      return null;
  }
}

function Shell({ session, onSignOut }: { session: Session; onSignOut: () => void }) {
  const hash = useHash();
  const firm = isFirm(session.me);
  const home = firm ? "#/accounts" : "#/threads";
  useEffect(() => {
    if (!hash || hash === "#" || hash === "#/") window.location.replace(home);
    // After a navigation, keyboard and screen reader users start at the new page's content.
    else document.getElementById("main")?.focus({ preventScroll: true });
  }, [hash]);
  const link = (to: string, text: string) => (
    <a href={to} aria-current={hash.startsWith(to) ? "page" : undefined}>
      {text}
    </a>
  );
  return (
    <SessionContext.Provider value={session}>
      <a class="skip" href="#main" onClick={(e) => (e.preventDefault(), document.getElementById("main")?.focus())}>
        Skip to content
      </a>
      <header class="top">
        <nav aria-label="Main">
          {firm ? (
            <>
              {link("#/accounts", "Client accounts")}
              {link("#/threads", "All chats")}
            </>
          ) : (
            link("#/threads", "Threads")
          )}
        </nav>
        <span class="who">{session.me.display_name}</span>
        <button type="button" onClick={onSignOut}>
          Sign out
        </button>
      </header>
      <main id="main" tabIndex={-1}>
        <Page hash={hash} />
      </main>
    </SessionContext.Provider>
  );
}

function App({ config }: { config: PortalConfig }) {
  const api = useMemo(() => new Api(config), [config]);
  const [state, setState] = useState<State>({ kind: "loading" });
  const live = useMemo(() => new Live(api, (error) => fail(error)), [api]);

  function fail(error: unknown) {
    if (error instanceof AccessEnded) {
      live.stop();
      setState({ kind: "ended" });
    } else console.error(error);
  }
  const enter = async () => {
    try {
      const me = await api.me();
      const accounts = new Map((await api.accounts()).accounts.map((one) => [one.account_id, one]));
      live.start();
      setState({ kind: "in", me, accounts });
    } catch (error) {
      if (error instanceof AccessEnded && error.message === "not signed in") setState({ kind: "signed-out" });
      else if (error instanceof AccessEnded) fail(error);
      else setState({ kind: "signed-out", notice: String(error) });
    }
  };
  useEffect(() => {
    void enter();
    return () => live.stop();
  }, []);
  const out = () => {
    live.stop();
    signOut(config);
    setState({ kind: "signed-out", notice: "You are signed out." });
  };

  if (window.location.pathname.startsWith("/invitation")) return <Invitation api={api} />;
  switch (state.kind) {
    case "loading":
      return <p role="status">Loading…</p>;
    case "signed-out":
      return <SignIn config={config} notice={state.notice} onIn={() => void enter()} />;
    case "ended":
      return (
        <main class="narrow" id="main">
          <h1>Your access has ended</h1>
          <p>This login no longer gives access to the firm's portal. If that is a surprise, ask the firm.</p>
          <button type="button" onClick={out}>
            Sign out
          </button>
        </main>
      );
    case "in":
      return <Shell session={{ api, me: state.me, live, accounts: state.accounts, fail }} onSignOut={out} />;
  }
}

loadConfig()
  .then((config) => render(<App config={config} />, document.getElementById("app")!))
  .catch((error: Error) => {
    document.getElementById("app")!.textContent = error.message;
  });
