package main

import (
	"errors"
	"testing"

	"github.com/dop251/goja"
	"github.com/stretchr/testify/require"

	"github.com/onboarding-cockpit/onboarding-cockpit/server/host"
)

// The real bundle's message formatter (intl-messageformat over the catalogues) runs in goja on the host's
// Intl: arguments, plural categories of one-, three- and four-form languages, and the locale's numbers.
func TestTheBundleFormatsTheBotsMessagesInGoja(t *testing.T) {
	runtime := goja.New()
	require.NoError(t, host.InstallIntl(runtime))
	require.NoError(t, runtime.Set("__host_call", func(goja.FunctionCall) goja.Value {
		panic(runtime.NewGoError(errNoHost))
	}))
	require.NoError(t, runtime.Set("console", runtime.NewObject()))
	_, err := runtime.RunString(bundle)
	require.NoError(t, err)
	format, ok := goja.AssertFunction(runtime.Get("__plugin").ToObject(runtime).Get("formatMessage"))
	require.True(t, ok, "the bundle exports formatMessage")

	cases := []struct {
		locale, id, values, want string
	}{
		{"de", "feedback.help", `{}`, "🆘 Ich brauche Hilfe"},
		{"ja", "feedback.answered", `{"answer": "👍 順調"}`, "スタートは順調ですか？ あなたの回答: 👍 順調（別のボタンを押すと変更できます）。"},
		{"en", "review.rejected", `{"decided": 1}`, "Rejected 1 channel."},
		{"en", "review.rejected", `{"decided": 2}`, "Rejected 2 channels."},
		{"pl", "review.rejected", `{"decided": 3}`, "Odrzucono 3 kanały."},
		{"pl", "review.rejected", `{"decided": 5}`, "Odrzucono 5 kanałów."},
		{"ru", "review.rejected", `{"decided": 21}`, "Отклонено 21 канал."},
		{"de", "review.rejected", `{"decided": 1234}`, "1.234 Kanäle abgelehnt."},
		{"en", "review.approved", `{"decided": 2, "applied": 2, "notApplied": 0, "link": "L"}`, "Approved 2 channels: 2 applied."},
		{"de", "tasks.list", `{"count": 12345}`, "Ihre Roll-out-Aufgaben (12.345):"},
	}
	for _, c := range cases {
		value, err := format(goja.Undefined(), runtime.ToValue(c.locale), runtime.ToValue(c.id), runtime.ToValue(c.values))
		require.NoError(t, err, c.locale+" "+c.id)
		require.Equal(t, c.want, value.String(), c.locale+" "+c.id)
	}
}

var errNoHost = errors.New("no host in this test")
