import React from 'react';
import {FormattedDate} from 'react-intl';

/** A moment in the admin's locale and time zone: "Dec 5, 2026, 4:20 AM" (without the year: "Dec 5, 4:20 AM"). */
export function DateTime({value, withYear = true}: {value: number; withYear?: boolean}) {
    return (
        <FormattedDate
            value={value}
            year={withYear ? 'numeric' : undefined}
            month='short'
            day='numeric'
            hour='numeric'
            minute='2-digit'
        />
    );
}
