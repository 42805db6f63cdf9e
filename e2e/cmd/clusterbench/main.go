// Command clusterbench runs the cockpit's wave engine on one node and on two nodes of a cluster, in one
// run: a second in-process Mattermost on the same database runs its own plugin process (the same KV
// store, so the same cluster locks and the wave's work shards), and N users are provisioned, each into
// 1 team + 3 channels (two public, one private) + 1 welcome DM from the cockpit's bot,
//
//	(1) by the engine on node 1 alone (node 2's plugin disabled), its tick route called back to back;
//	(2) by the engine on both nodes, fresh users, both tick routes called back to back (each node's
//	    waves job runs too): the wave's work shards shared between the nodes.
//
// Each approach is checked afterwards from the database (benchkit.CheckProvisioned). Prints wall time,
// users/s, the CPU seconds of this process (both in-process servers and the load client), the plugin
// processes (both nodes') and PostgreSQL, the users each node checkpointed (the shard records'
// done_by), and the 2-node/1-node wall time ratio. On a machine with few cores both nodes share them:
// the ratio says what a second node adds there, not on a cluster of separate machines.
//
//	bench/cluster.sh [-n 1000] [-bundle dist/…tar.gz]   (CLUSTERBENCH_N sets -n's default)
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"log"
	"net/http"
	"os"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/mattermost/mattermost/server/public/model"

	"github.com/onboarding-cockpit/onboarding-cockpit/e2e/benchkit"
	"github.com/onboarding-cockpit/onboarding-cockpit/e2e/contract"
	"github.com/onboarding-cockpit/onboarding-cockpit/e2e/mmserver"
)

func main() { os.Exit(run()) }

type bench struct {
	s      *mmserver.Server
	node1  *benchkit.Target
	node2  *benchkit.Target
	admin2 *model.Client4
	client *http.Client
}

type outcome struct {
	name    string
	seconds float64
	cpu     benchkit.CPUUsage
	byNode  map[string]int
	err     error
}

func run() int {
	defaultN := benchkit.EnvOr("CLUSTERBENCH_N", "1000")
	var (
		size   = flag.String("n", defaultN, "users (default: CLUSTERBENCH_N, else 1000)")
		bundle = flag.String("bundle", "", "plugin bundle (default: COCKPIT_BUNDLE or dist/)")
	)
	flag.Parse()
	n, err := strconv.Atoi(strings.TrimSpace(*size))
	if err != nil || n < 10 || n > 50000 {
		log.Fatalf("bad -n %q: a user count of 10…50000", *size)
	}
	node1, s, err := benchkit.StartServer(*bundle)
	if err != nil {
		log.Print(err)
		return 1
	}
	defer node1.Close()
	node2, second, admin2, err := benchkit.StartSecondNode(s, benchkit.NodeOptions{Bundle: *bundle, Disabled: true})
	if err != nil {
		log.Print(err)
		return 1
	}
	defer node2.Close()
	log.Printf("second node %s on the same database", second.URL)
	b := &bench{s: s, node1: node1, node2: node2, admin2: admin2, client: benchkit.NewClient(8)}
	meter := benchkit.NewCPUMeter(s)
	meter.AddServer(second)

	var results []outcome
	for _, approach := range []struct {
		name  string
		nodes []*benchkit.Target
	}{{"(1) one node", []*benchkit.Target{node1}}, {"(2) two nodes", []*benchkit.Target{node1, node2}}} {
		f, err := benchkit.NewFixture(b.s, n, benchkit.FixtureOptions{Prefix: "c", Tag: strconv.Itoa(len(approach.nodes))})
		if err != nil {
			log.Print(err)
			return 1
		}
		// Node 2's plugin starts before the measurement and stops after it: a process stopped inside it
		// would take its CPU along.
		if startErr := b.setNode2(len(approach.nodes) == 2); startErr != nil {
			log.Print(startErr)
			return 1
		}
		before := meter.Sample()
		t0 := time.Now()
		waveID, err := b.runWave(n, f, approach.nodes)
		seconds := time.Since(t0).Seconds()
		cpu := meter.Since(before)
		if stopErr := b.setNode2(false); stopErr != nil {
			log.Print(stopErr)
			return 1
		}
		o := outcome{name: approach.name, seconds: seconds, cpu: cpu, err: err}
		if o.err == nil {
			o.byNode, o.err = b.doneByNode(waveID)
		}
		if o.err == nil {
			var bot string
			if bot, o.err = b.botID(); o.err == nil {
				o.err = benchkit.CheckProvisioned(b.s, f.Team.Id, f.Channels, benchkit.UserIDs(f.Users), bot)
			}
		}
		rate := float64(n) / seconds
		log.Printf("N=%d %s: %.1f s (%.1f users/s) %s; by node %v; %v", n, o.name, seconds, rate, cpu, o.byNode, benchkit.ErrOrOK(o.err))
		results = append(results, o)
	}

	fmt.Printf("\nThe wave engine, N = %d users × (1 team + 3 channels + 1 DM), Mattermost %s in-process, %d CPUs, one run.\n",
		n, s.Version, runtime.NumCPU())
	fmt.Printf("CPU: server = this process (both in-process servers and the tick client); plugin = both nodes' plugin processes;\n"+
		"postgres = %s.\n\n", benchkit.PostgresScope())
	fmt.Printf("%-14s %9s %9s  %s\n", "approach", "seconds", "users/s", "CPU, users checkpointed per node")
	code := 0
	for _, o := range results {
		fmt.Printf("%-14s %9.1f %9.1f  %s; %v  %s\n", o.name, o.seconds, float64(n)/o.seconds, o.cpu, o.byNode, benchkit.ErrOrOK(o.err))
		if o.err != nil {
			code = 1
		}
	}
	fmt.Printf("\nTwo nodes against one (wall time; < 1: two nodes took less time): %.2fx\n", results[1].seconds/results[0].seconds)
	return code
}

// botID is the cockpit bot's user id, the sender of the welcome DMs.
func (b *bench) botID() (string, error) {
	c := b.s.Client()
	c.SetToken(b.node1.Token)
	bot, _, err := c.GetUserByUsername(context.Background(), "cockpit", "")
	if err != nil {
		return "", fmt.Errorf("the cockpit bot: %w", err)
	}
	return bot.Id, nil
}

// setNode2 enables or disables the plugin on the second node and waits until it is so.
func (b *bench) setNode2(enabled bool) error {
	ctx := context.Background()
	state := model.PluginStateNotRunning
	var err error
	if enabled {
		_, err = b.admin2.EnablePlugin(ctx, mmserver.PluginID)
		state = model.PluginStateRunning
	} else {
		_, err = b.admin2.DisablePlugin(ctx, mmserver.PluginID)
	}
	if err != nil {
		return fmt.Errorf("node 2 plugin enabled=%v: %w", enabled, err)
	}
	return mmserver.WaitPluginState(b.admin2, mmserver.PluginID, state, 90*time.Second)
}

// runWave creates and starts the wave on node 1, then ticks it on every node back to back until it is
// no longer running; returns its id.
func (b *bench) runWave(n int, f *benchkit.Fixture, nodes []*benchkit.Target) (string, error) {
	name := fmt.Sprintf("Cluster bench wave %d on %d nodes", n, len(nodes))
	cohort := map[string]any{"team_ids": []string{f.Source.Id}}
	wave, err := b.node1.CreateWave(b.client, benchkit.WaveSpec(name, cohort, f.Team, f.Channels))
	if err != nil {
		return "", err
	}
	if err = b.node1.StartWave(b.client, wave); err != nil {
		return "", err
	}

	// Each node is ticked back to back until the wave stops running; its tick answers 409 then.
	var done atomic.Bool
	var failed atomic.Value
	var wg sync.WaitGroup
	for _, node := range nodes {
		wg.Go(func() {
			for !done.Load() {
				code, answer, sendErr := node.Send(b.client, http.MethodPost, "/api/v1/waves/"+wave.ID+"/tick", []byte(`{}`))
				switch {
				case sendErr != nil:
					failed.CompareAndSwap(nil, sendErr)
					return
				case code == http.StatusConflict:
					return
				case code == http.StatusServiceUnavailable: // another run holds the wave's lock right now
					time.Sleep(100 * time.Millisecond)
				case code != http.StatusOK:
					failed.CompareAndSwap(nil, fmt.Errorf("tick on %s: HTTP %d %.300s", node.PluginURL, code, answer))
					return
				}
			}
		})
	}
	var progress contract.WaveProgress
	for last := time.Now(); ; time.Sleep(200 * time.Millisecond) {
		if progress, err = b.node1.Progress(b.client, wave.ID); err != nil {
			failed.CompareAndSwap(nil, err)
		}
		if progress.State != contract.WaveStateRunning || failed.Load() != nil {
			break
		}
		if time.Since(last) > 30*time.Second {
			log.Printf("  engine: %.0f/%.0f", progress.Processed, progress.Total)
			last = time.Now()
		}
	}
	done.Store(true)
	wg.Wait()
	if err, _ := failed.Load().(error); err != nil {
		return wave.ID, err
	}
	return wave.ID, benchkit.CheckWelcomed(progress, n)
}

// doneByNode sums the wave's shard records' users checkpointed per node (kv/keys.ts WaveShardSchema).
func (b *bench) doneByNode(waveID string) (map[string]int, error) {
	rows, err := b.s.DB().Query(`SELECT PValue FROM PluginKeyValueStore WHERE PluginId = $1 AND PKey LIKE $2`,
		mmserver.PluginID, "wave:"+waveID+":shard:%")
	if err != nil {
		return nil, err
	}
	defer func() { _ = rows.Close() }()
	sums := map[string]int{}
	for rows.Next() {
		var value []byte
		if err := rows.Scan(&value); err != nil {
			return nil, err
		}
		var stored struct {
			Value struct {
				DoneBy map[string]int `json:"done_by"`
			}
		}
		if err := json.Unmarshal(value, &stored); err != nil {
			return nil, err
		}
		for node, count := range stored.Value.DoneBy {
			sums[node] += count
		}
	}
	return sums, rows.Err()
}
