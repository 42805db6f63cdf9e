// Package cohort is what the tests and benchmarks send as a wave's cohort file, the way the webapp sends it.
package cohort

import (
	"encoding/json"

	"github.com/onboarding-cockpit/onboarding-cockpit/e2e/contract"
)

// The webapp's limits for one POST …/csv (webapp/src/waves/csv.ts csvChunks; contract/waves.ts
// maxCsvRowsPerRequest): a request body stays well under the host's 1 MiB.
const (
	MaxRowsPerRequest  = 10000
	MaxBytesPerRequest = 900 * 1024
)

// Chunks splits rows as the webapp does: in order, at most MaxRowsPerRequest rows and
// MaxBytesPerRequest bytes of JSON (one more byte per row for its comma) a request.
func Chunks(rows []contract.CsvRow) [][]contract.CsvRow {
	var chunks [][]contract.CsvRow
	var current []contract.CsvRow
	size := 0
	for _, r := range rows {
		b, _ := json.Marshal(r)
		n := len(b) + 1
		if len(current) > 0 && (len(current) >= MaxRowsPerRequest || size+n > MaxBytesPerRequest) {
			chunks = append(chunks, current)
			current, size = nil, 0
		}
		current = append(current, r)
		size += n
	}
	if len(current) > 0 {
		chunks = append(chunks, current)
	}
	return chunks
}
