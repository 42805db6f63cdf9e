package cohort

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/onboarding-cockpit/onboarding-cockpit/e2e/contract"
)

func TestChunksKeepOrderAndLimits(t *testing.T) {
	// 25,000 short rows: split by the row limit.
	rows := make([]contract.CsvRow, 25000)
	for i := range rows {
		rows[i] = contract.CsvRow{Line: i + 2, Value: "u"}
	}
	chunks := Chunks(rows)
	if len(chunks) != 3 || len(chunks[0]) != MaxRowsPerRequest || len(chunks[2]) != 5000 || chunks[1][0].Line != MaxRowsPerRequest+2 {
		t.Fatalf("row limit: %d chunks", len(chunks))
	}
	// 3,000 rows of ~320 bytes: split by the byte limit, every chunk's JSON under it.
	long := strings.Repeat("x", 300)
	rows = make([]contract.CsvRow, 3000)
	for i := range rows {
		rows[i] = contract.CsvRow{Line: i + 2, Value: long}
	}
	chunks = Chunks(rows)
	seen := 0
	for _, c := range chunks {
		b, _ := json.Marshal(c)
		if len(b) > MaxBytesPerRequest || c[0].Line != seen+2 {
			t.Fatalf("chunk of %d rows: %d bytes, first line %d", len(c), len(b), c[0].Line)
		}
		seen += len(c)
	}
	if len(chunks) < 2 || seen != len(rows) {
		t.Fatalf("byte limit: %d chunks, %d rows", len(chunks), seen)
	}
	if len(Chunks(nil)) != 0 {
		t.Fatal("no rows, no chunks")
	}
}
