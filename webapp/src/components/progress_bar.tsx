import React from 'react';

/** A labelled progress bar (role="progressbar", 0–100). `label` names it; `text` is shown next to it. */
export function ProgressBar({label, percent, text, large = false}: {label: string; percent: number; text?: string; large?: boolean}) {
    const value = Math.max(0, Math.min(100, Math.round(percent)));
    return (
        <div className={`cockpit-progress${large ? ' cockpit-progress--large' : ''}`}>
            <div
                role='progressbar'
                aria-label={label}
                aria-valuemin={0}
                aria-valuemax={100}
                aria-valuenow={value}
                aria-valuetext={text}
                className='cockpit-progress__track'
            >
                <div
                    className={`cockpit-progress__fill${value === 100 ? ' cockpit-progress__fill--done' : ''}`}
                    style={{width: `${value}%`}}
                />
            </div>
            {text && <span className='cockpit-progress__text'>{text}</span>}
        </div>
    );
}
