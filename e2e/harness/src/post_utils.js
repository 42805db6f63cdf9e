// A STAND-IN for the Mattermost webapp's `window.PostUtils` (webapp/channels/src/plugins/export.ts):
// `formatText(text, options)` → HTML string, `messageHtmlToComponent(html, options)` → React element.
// The real webapp renders with its marked fork and sanitises; it is not available here, so this
// covers the subset the cockpit's previews use, built the same way: HTML is escaped FIRST, then
// markdown constructs become tags, so user text can never become markup. It proves the cockpit calls
// the host renderer and shows its output; it is not a test of Mattermost's renderer.
import React from 'react';

function escapeHtml(text) {
    return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

const safeUrl = (url) => ((/^https?:\/\//i).test(url) ? url : null);

function inline(escaped) {
    // Backslash escapes: keep the character, drop the backslash, and protect it from the rules below.
    const held = [];
    let out = escaped.replace(/\\([\\`*_{}[\]()#+\-.!|~:&=$@]|&lt;|&gt;|&amp;)/g, (_, ch) => {
        held.push(ch);
        return `\u0000${held.length - 1}\u0000`;
    });
    out = out.replace(/`([^`]+)`/g, '<code>$1</code>');
    out = out.replace(
        /&lt;(https?:\/\/[^\s&]+)&gt;/gi,
        (_, url) => `<a class="theme markdown__link" href="${url}" rel="noreferrer" target="_blank">${url}</a>`,
    );
    out = out.replace(/\[([^\]]+)\]\(([^)\s]+)\)/g, (whole, label, url) =>
        (safeUrl(url) ? `<a class="theme markdown__link" href="${url}" rel="noreferrer" target="_blank">${label}</a>` : whole),
    );
    out = out.replace(/\*\*([^*]+)\*\*/g, '<strong>$1</strong>');
    out = out.replace(/(^|[^*])\*([^*]+)\*/g, '$1<em>$2</em>');
    out = out.replace(/(^|\W)_([^_]+)_(?=\W|$)/g, '$1<em>$2</em>');
    // eslint-disable-next-line no-control-regex -- NUL brackets the placeholders of the held-back spans.
    return out.replace(/\u0000(\d+)\u0000/g, (_, i) => held[Number(i)]);
}

export function formatText(text, options = {}) {
    const escaped = escapeHtml(String(text ?? ''));
    if (options.singleline) {
        return inline(escaped.replace(/\s*\n\s*/g, ' '));
    }
    return escaped.split(/\n\s*\n/).filter((p) => p.trim() !== '').map((p) => `<p>${inline(p).replace(/\n/g, '<br>')}</p>`).join('');
}

export function messageHtmlToComponent(html) {
    return React.createElement('span', {className: 'harness-post-utils', dangerouslySetInnerHTML: {__html: html}});
}
