import React, {useId, useRef, type ReactNode} from 'react';

import {readFileText} from './files';

interface Props {
    label: ReactNode;
    disabled: boolean;

    /** The parsed content of the chosen file. */
    onJson: (value: unknown, file: File) => void;

    /** The file could not be read or is not JSON. */
    onInvalid: (file: File, message: string) => void;
}

/**
 * A button that picks a JSON file and hands over its parsed content. The input is cleared after
 * each pick, so choosing the same file again (after fixing it) is seen as a new choice.
 */
export function JsonFileButton({label, disabled, onJson, onInvalid}: Props) {
    const id = useId();
    const input = useRef<HTMLInputElement>(null);

    const onFile = async (file: File | undefined) => {
        if (!file) {
            return;
        }
        let value: unknown;
        try {
            value = JSON.parse(await readFileText(file));
        } catch (err) {
            onInvalid(file, err instanceof Error ? err.message : String(err));
            return;
        } finally {
            if (input.current) {
                input.current.value = '';
            }
        }
        onJson(value, file);
    };

    return (
        <>
            <label
                htmlFor={`${id}-file`}
                className='btn btn-tertiary cockpit-file-button'
            >
                {label}
            </label>
            <input
                ref={input}
                id={`${id}-file`}
                type='file'
                accept='.json,application/json'
                className='cockpit-file-input'
                disabled={disabled}
                onChange={(e) => {
                    onFile(e.target.files?.[0]);
                }}
            />
        </>
    );
}
