package host

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestSystemActivityBindingDecodesNow(t *testing.T) {
	var got []int64
	h := &Host{systemActivity: func(now int64) (SystemActivity, error) {
		got = append(got, now)
		return SystemActivity{DailyActive: 3, WeeklyActive: 5, MonthlyActive: 8, PostsLastDay: 13, ActiveChannels: 2, TotalUsers: 21}, nil
	}}
	out, err := h.invoke("system.activity", `[1767225600000]`)
	require.NoError(t, err)
	assert.Equal(t, []int64{1767225600000}, got, "JS milliseconds arrive as int64 unchanged")
	assert.JSONEq(t, `{"daily_active":3,"weekly_active":5,"monthly_active":8,"posts_last_day":13,"active_channels":2,"total_users":21}`, out)
}

func TestSystemActivityBindingRejectsBadArguments(t *testing.T) {
	h := &Host{systemActivity: func(now int64) (SystemActivity, error) {
		t.Fatalf("called with %d", now)
		return SystemActivity{}, nil
	}}
	for _, args := range []string{`[]`, `["today"]`, `[1.5]`, `[null, 1]`, `[1, 2]`} {
		_, err := h.invoke("system.activity", args)
		assert.Error(t, err, args)
	}
}

func TestSystemActivityRejectsNonPositiveNow(t *testing.T) {
	// The reader checks before opening the database, so no driver is needed.
	read := newSystemActivity(nil, nil, 0)
	_, err := read(0)
	assert.ErrorContains(t, err, "now must be a positive time")
}

func TestActivityWindows(t *testing.T) {
	const now = int64(40 * 24 * 3600 * 1000)
	d, w, m := activityWindows(now)
	assert.Equal(t, int64(39*24*3600*1000), d)
	assert.Equal(t, int64(33*24*3600*1000), w)
	assert.Equal(t, int64(10*24*3600*1000), m)
}
