import {useLayoutEffect, useRef, type RefObject} from 'react';

/**
 * A variable chip's action: `insert(name)` puts `{{name}}` at the textarea's caret (replacing the
 * selection) through `setText`, then leaves the caret after it. The caret is placed in the commit that
 * renders the new text, not in a later frame: by then the admin may already be typing in another field,
 * and taking the focus back would send their keystrokes into the template.
 */
export function useInsertVariable(
    textarea: RefObject<HTMLTextAreaElement | null>,
    text: string,
    setText: (value: string) => void,
): (name: string) => void {
    const caret = useRef<number | null>(null);
    useLayoutEffect(() => {
        const el = textarea.current;
        if (caret.current !== null && el) {
            el.focus();
            el.setSelectionRange(caret.current, caret.current);
        }
        caret.current = null;
    }, [text, textarea]);

    return (name: string) => {
        const token = `{{${name}}}`;
        const el = textarea.current;
        const start = el?.selectionStart ?? text.length;
        const end = el?.selectionEnd ?? start;
        caret.current = start + token.length;
        setText(text.slice(0, start) + token + text.slice(end));
    };
}
