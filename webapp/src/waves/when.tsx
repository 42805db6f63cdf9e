import React from 'react';
import {FormattedDate} from 'react-intl';

/** A date and time in the admin's locale and time zone. */
export function DateTime({value}: {value: number}) {
    return (
        <FormattedDate
            value={value}
            year='numeric'
            month='short'
            day='numeric'
            hour='numeric'
            minute='2-digit'
        />
    );
}
