// Renders a message as Mattermost renders posts: the webapp exports its own renderer to plugins as
// window.PostUtils (formatText → sanitized HTML, messageHtmlToComponent → React elements;
// reference/mattermost-platform.md §2). Where a host lacks it, the branding studio's inert markdown
// subset is used instead, so the preview still shows the text and never raw HTML.
import React, {type ReactNode} from 'react';

import {SafeMarkdown} from '../branding/markdown';

interface PostUtils {
    formatText: (text: string, options?: Record<string, unknown>) => string;
    messageHtmlToComponent: (html: string, options?: Record<string, unknown>) => ReactNode;
}

function hostPostUtils(): PostUtils | null {
    const utils = (window as unknown as {PostUtils?: Partial<PostUtils>}).PostUtils;
    return utils && typeof utils.formatText === 'function' && typeof utils.messageHtmlToComponent === 'function' ?
        (utils as PostUtils) :
        null;
}

/** `markdown` rendered by the host's post renderer (or the inert fallback), inside a post-like box. */
export function MattermostMarkdown({markdown}: {markdown: string}) {
    const utils = hostPostUtils();
    if (!utils) {
        return (
            <div
                className='post-message__text cockpit-waves__message'
                data-renderer='fallback'
            >
                <SafeMarkdown text={markdown}/>
            </div>
        );
    }

    // No mention highlighting or user lookups: the preview is the admin's view of someone else's DM.
    const html = utils.formatText(markdown, {markdown: true, atMentions: false, mentionHighlight: false, singleline: false});
    return (
        <div
            className='post-message__text cockpit-waves__message'
            data-renderer='mattermost'
        >
            {utils.messageHtmlToComponent(html, {mentionHighlight: false, fetchMissingUsers: false})}
        </div>
    );
}
