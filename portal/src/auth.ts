/** Sign-in against the user pool with SRP (the password never leaves the browser). */
import {
  AuthenticationDetails,
  CognitoUser,
  CognitoUserPool,
  CognitoUserSession,
} from "amazon-cognito-identity-js";
import type { PortalConfig } from "./config";

export type Side = "firm" | "client";

const SIDE_KEY = "firmchat.side";

function pool(config: PortalConfig, side: Side): CognitoUserPool {
  return new CognitoUserPool({
    UserPoolId: config.userPoolId,
    ClientId: side === "firm" ? config.firmClientId : config.clientClientId,
    endpoint: config.cognitoEndpoint ?? undefined,
    Storage: window.sessionStorage,
  });
}

export function lastSide(): Side {
  return sessionStorage.getItem(SIDE_KEY) === "client" ? "client" : "firm";
}

/** The pool username of a firm's login: the firm and the email (decision 0006). */
export const loginUsername = (firmId: string, email: string) => `${firmId}.${email.toLowerCase()}`;

export function signIn(config: PortalConfig, side: Side, firmId: string, email: string, password: string) {
  const username = loginUsername(firmId, email);
  const user = new CognitoUser({ Username: username, Pool: pool(config, side), Storage: sessionStorage });
  user.setAuthenticationFlowType("USER_SRP_AUTH");
  return new Promise<void>((resolve, reject) => {
    user.authenticateUser(new AuthenticationDetails({ Username: username, Password: password }), {
      onSuccess: () => {
        sessionStorage.setItem(SIDE_KEY, side);
        resolve();
      },
      onFailure: (error: Error) => reject(error),
      newPasswordRequired: () =>
        reject(new Error("Use the link of your invitation email to choose your password first.")),
    });
  });
}

/** The ID token of the signed-in person, refreshed when needed; null when nobody is. */
export function idToken(config: PortalConfig): Promise<string | null> {
  const user = pool(config, lastSide()).getCurrentUser();
  if (!user) return Promise.resolve(null);
  return new Promise((resolve) => {
    user.getSession((error: Error | null, session: CognitoUserSession | null) => {
      resolve(error || !session?.isValid() ? null : session.getIdToken().getJwtToken());
    });
  });
}

export function signOut(config: PortalConfig): void {
  pool(config, lastSide()).getCurrentUser()?.signOut();
  sessionStorage.removeItem(SIDE_KEY);
}
