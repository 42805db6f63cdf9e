// A tiny, INERT markdown subset for the preview of brand and banner text: paragraphs, line breaks,
// **bold**, *italic* / _italic_ and `code`, built as React elements. Nothing is ever parsed as HTML
// (no dangerouslySetInnerHTML): `<img src=x onerror=…>` shows as the text it is. Links are shown as
// text too; the real webapp renders them when the branding is live.
import React, {type ReactNode} from 'react';

const inlinePattern = /(\*\*[^*\n]+\*\*|`[^`\n]+`|\*[^*\n]+\*|_[^_\n]+_)/g;

function inline(text: string, keyPrefix: string): ReactNode[] {
    return text.split(inlinePattern).filter((part) => part !== '').map((part, i) => {
        const key = `${keyPrefix}-${i}`;
        if (part.startsWith('**') && part.endsWith('**') && part.length > 4) {
            return <strong key={key}>{part.slice(2, -2)}</strong>;
        }
        if (part.startsWith('`') && part.endsWith('`') && part.length > 2) {
            return <code key={key}>{part.slice(1, -1)}</code>;
        }
        if (((part.startsWith('*') && part.endsWith('*')) || (part.startsWith('_') && part.endsWith('_'))) && part.length > 2) {
            return <em key={key}>{part.slice(1, -1)}</em>;
        }
        return <React.Fragment key={key}>{part}</React.Fragment>;
    });
}

/** Paragraphs of `text` as React elements; `single` renders one line (the banner). */
export function SafeMarkdown({text, single = false}: {text: string; single?: boolean}) {
    if (single) {
        return <>{inline(text.replace(/\s*\n\s*/g, ' '), 'l')}</>;
    }
    const paragraphs = text.split(/\n\s*\n/).filter((p) => p.trim() !== '');
    return (
        <>
            {paragraphs.map((paragraph, p) => (
                <p key={p}>
                    {paragraph.split('\n').map((line, l) => (
                        <React.Fragment key={l}>
                            {l > 0 && <br/>}
                            {inline(line, `${p}-${l}`)}
                        </React.Fragment>
                    ))}
                </p>
            ))}
        </>
    );
}
