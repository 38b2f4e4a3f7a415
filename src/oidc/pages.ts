/**
 * The issuer's two small HTML pages: the login page of the authorization code flow and the
 * device verification page. The developer types an identity (an email) and the issuer's
 * access secret; it is a development issuer, see docs/oidc.md.
 */

/** Escapes text for HTML content and attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);
}

function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">
<title>${escapeHtml(title)}</title>
<style>body{font-family:system-ui,sans-serif;max-width:32rem;margin:3rem auto;padding:0 1rem}label{display:block;margin:.8rem 0 .2rem}input{width:100%;padding:.4rem;font-size:1rem}button{margin:1rem .5rem 0 0;padding:.5rem 1rem;font-size:1rem}.note{color:#555;font-size:.9rem}.error{color:#b00}</style>
</head><body><h1>${escapeHtml(title)}</h1>
${body}
</body></html>
`;
}

function hidden(fields: Readonly<Record<string, string>>): string {
  return Object.entries(fields).map(([k, v]) => `<input type="hidden" name="${escapeHtml(k)}" value="${escapeHtml(v)}">`).join('\n');
}

const IDENTITY_FIELDS = `<label for="email">Email</label>
<input id="email" name="email" type="email" autocomplete="email" required>
<label for="secret">Issuer access secret</label>
<input id="secret" name="secret" type="password" autocomplete="off" required>
<p class="note">The secret is in <code>&lt;data&gt;/oidc/access-secret</code> of the sigil server.</p>`;

/** The login page of an authorization request; `fields` are the request's parameters, posted back. */
export function loginPage(action: string, clientId: string, redirectUri: string, fields: Readonly<Record<string, string>>, error?: string): string {
  return page('Sign in to the sigil development issuer', `${error === undefined ? '' : `<p class="error" id="error">${escapeHtml(error)}</p>`}
<p><b>${escapeHtml(clientId)}</b> asks for an identity token, returned to <code>${escapeHtml(redirectUri)}</code>.</p>
<form method="post" action="${escapeHtml(action)}">
${hidden(fields)}
${IDENTITY_FIELDS}
<button id="approve" type="submit" name="decision" value="approve">Sign in</button>
<button id="deny" type="submit" name="decision" value="deny" formnovalidate>Cancel</button>
</form>`);
}

/** The device verification page (RFC 8628 §3.3). */
export function devicePage(action: string, userCode: string, error?: string): string {
  return page('Approve a device login', `${error === undefined ? '' : `<p class="error" id="error">${escapeHtml(error)}</p>`}
<form method="post" action="${escapeHtml(action)}">
<label for="user_code">Code shown on the device</label>
<input id="user_code" name="user_code" value="${escapeHtml(userCode)}" autocomplete="off" required>
${IDENTITY_FIELDS}
<button id="approve" type="submit" name="decision" value="approve">Approve</button>
<button id="deny" type="submit" name="decision" value="deny" formnovalidate>Deny</button>
</form>`);
}

/** A short result page. */
export function messagePage(title: string, text: string): string {
  return page(title, `<p id="message">${escapeHtml(text)}</p>`);
}
