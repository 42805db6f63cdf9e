// The brand image chooser: the current or chosen image, why a file was refused, remove / keep.
import React, {useId} from 'react';
import {FormattedMessage, useIntl, type IntlShape} from 'react-intl';

import {brandingMessages as m} from './messages';
import {formatBytes, type ImageProblem, type PreparedImage} from './model';

function imageProblemText(problem: ImageProblem, intl: IntlShape) {
    switch (problem.kind) {
    case 'empty':
        return <FormattedMessage {...m.imageEmpty}/>;
    case 'tooLarge':
        return (
            <FormattedMessage
                {...m.imageTooLarge}
                values={{size: formatBytes(problem.size, intl), max: formatBytes(problem.max, intl)}}
            />
        );
    default:
        return (
            <FormattedMessage
                {...m.imageNotImage}
                values={{type: problem.type}}
            />
        );
    }
}

export function ImagePicker({image, problem, maxBytes, onPick, onRemove, onKeep}: {
    image: PreparedImage | 'delete' | null;
    problem: ImageProblem | null;
    maxBytes: number;
    onPick: (file: File | undefined) => void;
    onRemove: () => void;
    onKeep: () => void;
}) {
    const id = useId();
    const intl = useIntl();
    return (
        <div className='cockpit-field'>
            <label htmlFor={id}><FormattedMessage {...m.brandImage}/></label>
            <input
                id={id}
                type='file'
                accept='image/png,image/jpeg,image/gif'
                aria-describedby={`${id}-help`}
                onChange={(e) => {
                    onPick(e.target.files?.[0]);
                    e.target.value = '';
                }}
            />
            <span
                id={`${id}-help`}
                className='cockpit-muted'
            >
                <FormattedMessage
                    {...m.imageHelp}
                    values={{max: formatBytes(maxBytes, intl)}}
                />
            </span>
            {problem && (
                <p
                    role='alert'
                    className='cockpit-error-text'
                >{imageProblemText(problem, intl)}</p>
            )}
            {image && image !== 'delete' && (
                <p className='cockpit-muted'>
                    <FormattedMessage
                        {...m.imageChosen}
                        values={{name: image.file.name, size: formatBytes(image.size, intl)}}
                    />
                    {!image.keptForRollback && <> <FormattedMessage {...m.imageNotKept}/></>}
                </p>
            )}
            {image === 'delete' && <p className='cockpit-muted'><FormattedMessage {...m.imageWillBeRemoved}/></p>}
            <div className='cockpit-form__buttons'>
                {image === null ? (
                    <button
                        type='button'
                        className='btn btn-tertiary'
                        onClick={onRemove}
                    >
                        <FormattedMessage {...m.removeImage}/>
                    </button>
                ) : (
                    <button
                        type='button'
                        className='btn btn-tertiary'
                        onClick={onKeep}
                    >
                        <FormattedMessage {...m.keepImage}/>
                    </button>
                )}
            </div>
        </div>
    );
}
