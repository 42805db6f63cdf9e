package cockpit

// A wave spread over two nodes: a second in-process Mattermost server on the package server's database
// (as in hardening_cluster_test.go) runs its own plugin process, so the two plugins share the KV store
// the wave's work shards and their cluster locks live in, and each node's waves job (scheduled on every
// node) takes the shards whose locks are free.
//
// First two waves run at once, one started on each node. Then a wave of 400 users: once the second node
// is part-way through a shard, its plugin process is killed (SIGKILL: no deactivation, no released lock)
// and the plugin disabled there. The first node finishes its own shards, then takes the dead node's
// shard over when that shard's lock expires (15 s), from the shard's last checkpoint.
//
// Checked from the database: every user is a member of the target team and channel exactly once
// (ChannelMemberHistory) and has exactly one welcome DM; the counts are exact; each node checkpointed
// users (the shard records' done_by, keyed by the node ids GET /api/v1/status reports); the killed
// node's shard was finished by the other node.

import (
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/mattermost/mattermost/server/public/model"

	"github.com/onboarding-cockpit/onboarding-cockpit/e2e/contract"
	"github.com/onboarding-cockpit/onboarding-cockpit/e2e/mmserver"
)

// clusterNode is one plugin process of the test cluster: its server's URL, an admin token there, and
// the node id its plugin reports.
type clusterNode struct {
	name   string
	base   string
	token  string
	nodeID string
}

func nodeIDAt(t *testing.T, base, token string) string {
	t.Helper()
	var status contract.Status
	r := callAt(t, base, http.MethodGet, "/api/v1/status", token, nil)
	if r.Status != http.StatusOK || json.Unmarshal(r.Body, &status) != nil || status.NodeID == "" {
		t.Fatalf("GET /api/v1/status on %s: %s", base, r)
	}
	return status.NodeID
}

// pluginProcessesIn lists the live processes whose executable lives in the plugin's folder under the
// server's data directory dataDir (a killed, not yet reaped process has no exe link and is not listed).
func pluginProcessesIn(dataDir string) []int {
	dir := filepath.Join(dataDir, "plugins", mmserver.PluginID) + string(filepath.Separator)
	entries, err := os.ReadDir("/proc")
	if err != nil {
		return nil
	}
	var pids []int
	for _, e := range entries {
		pid, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		if exe, err := os.Readlink(filepath.Join("/proc", e.Name(), "exe")); err == nil && strings.HasPrefix(exe, dir) {
			pids = append(pids, pid)
		}
	}
	return pids
}

// waveShardRecord is a work shard as the bundle stores it (kv/keys.ts WaveShardSchema).
type waveShardRecord struct {
	Key    string
	Cursor int            `json:"cursor"`
	Owner  string         `json:"owner"`
	DoneBy map[string]int `json:"done_by"`
}

// waveShards reads the wave's work shard records of every generation straight from the KV table.
func waveShards(t *testing.T, waveID string) []waveShardRecord {
	t.Helper()
	rows, err := env.s.DB().QueryContext(ctx(t), `SELECT PKey, PValue FROM PluginKeyValueStore
		WHERE PluginId = $1 AND PKey LIKE $2 ORDER BY PKey`, mmserver.PluginID, "wave:"+waveID+":shard:%")
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = rows.Close() }()
	var out []waveShardRecord
	for rows.Next() {
		var key string
		var value []byte
		if err := rows.Scan(&key, &value); err != nil {
			t.Fatal(err)
		}
		var stored struct{ Value waveShardRecord }
		if err := json.Unmarshal(value, &stored); err != nil {
			t.Fatalf("shard record %s = %s: %v", key, value, err)
		}
		stored.Value.Key = key
		out = append(out, stored.Value)
	}
	return out
}

// waveShardSize is the bundle's default work shard size (waves/shards.ts defaultShardSize).
const waveShardSize = 200

// shardEnd is the queue index after the shard's last one, from its key wave:<id>:shard:<gen>:<n>.
func shardEnd(t *testing.T, s waveShardRecord, queueLen int) int {
	t.Helper()
	n, err := strconv.Atoi(s.Key[strings.LastIndex(s.Key, ":")+1:])
	if err != nil {
		t.Fatalf("shard key %s: %v", s.Key, err)
	}
	return min((n+1)*waveShardSize, queueLen)
}

// doneByNode sums the shards' checkpointed users per node id.
func doneByNode(shards []waveShardRecord) map[string]int {
	sums := map[string]int{}
	for _, s := range shards {
		for node, n := range s.DoneBy {
			sums[node] += n
		}
	}
	return sums
}

// clusterWave is a wave of n fresh users from their own source team into a fresh target team and channel.
type clusterWave struct {
	id      string
	version int
	sfx     string
	target  *model.Team
	channel *model.Channel
	users   []*model.User
}

func newClusterWave(t *testing.T, n int) clusterWave {
	t.Helper()
	sfx := model.NewId()[:6]
	source, err := env.s.CreateTeam("wcs" + sfx)
	if err != nil {
		t.Fatal(err)
	}
	target, err := env.s.CreateTeam("wct" + sfx)
	if err != nil {
		t.Fatal(err)
	}
	channel, err := env.s.CreateChannel(target, "wcc-"+sfx, false)
	if err != nil {
		t.Fatal(err)
	}
	users, err := env.s.CreateUsers(n, mmserver.UserOptions{Prefix: "wc" + sfx + "-", Teams: []*model.Team{source}})
	if err != nil {
		t.Fatal(err)
	}
	wave := createWave(t, env.adminClient.AuthToken, map[string]any{
		"name":   "Cluster " + sfx,
		"cohort": map[string]any{"team_ids": []string{source.Id}},
		"targets": map[string]any{
			"teams":    []map[string]any{{"team_id": target.Id}},
			"channels": []map[string]any{{"channel_id": channel.Id}},
		},
		"welcome":  map[string]any{"enabled": true, "template": "Welcome {{first_name}} (" + sfx + ")", "help_link": ""},
		"throttle": map[string]any{"users_per_second": 500},
	})
	return clusterWave{id: wave.ID, version: int(wave.Version), sfx: sfx, target: target, channel: channel, users: users}
}

func (w clusterWave) start(t *testing.T, node clusterNode) {
	t.Helper()
	body := mustJSON(t, map[string]any{"expected_version": w.version})
	r := callAt(t, node.base, http.MethodPost, "/api/v1/waves/"+w.id+"/start", node.token, body)
	if r.Status != http.StatusOK {
		t.Fatalf("start wave %s on %s: %s", w.id, node.name, r)
	}
}

// waitDone polls the wave's progress until it leaves running.
func (w clusterWave) waitDone(t *testing.T, timeout time.Duration) contract.WaveProgress {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for {
		progress := waveProgressOf(t, env.adminClient.AuthToken, w.id)
		if progress.State != "running" && progress.State != "scheduled" {
			return progress
		}
		if time.Now().After(deadline) {
			t.Fatalf("wave %s still %s after %s: %+v", w.id, progress.State, timeout, progress)
		}
		time.Sleep(500 * time.Millisecond)
	}
}

// checkOnce checks the wave from the database: one welcome DM per user and one join per user of the
// target team's channels, and the exact counts (a batch in flight when a node died may report some of
// its users as already members: the dead node added them).
func (w clusterWave) checkOnce(t *testing.T, progress contract.WaveProgress) {
	t.Helper()
	n := len(w.users)
	if progress.State != "completed" || progress.Processed != float64(n) || progress.Counts.Failed != 0 ||
		progress.Counts.Welcomed != n || progress.Counts.Added+progress.Counts.AlreadyMember != n || progress.Counts.AlreadyMember > 250 {
		t.Errorf("wave %s: %+v, want completed with %d users added and welcomed", w.id, progress, n)
	}
	bot := botID(t)
	dms := map[string]int{}
	rows, err := env.s.DB().QueryContext(ctx(t), `SELECT c.Name, count(*) FROM Posts p JOIN Channels c ON c.Id = p.ChannelId
		WHERE c.Type = 'D' AND p.UserId = $1 AND p.DeleteAt = 0 AND p.Message LIKE '%(' || $2 || ')%' GROUP BY c.Name`, bot, w.sfx)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var name string
		var count int
		if scanErr := rows.Scan(&name, &count); scanErr != nil {
			t.Fatal(scanErr)
		}
		dms[strings.ReplaceAll(strings.ReplaceAll(name, bot, ""), "__", "")] = count
	}
	_ = rows.Close()
	joins := map[string]int{}
	rows, err = env.s.DB().QueryContext(ctx(t), `SELECT h.UserId || ':' || h.ChannelId, count(*) FROM ChannelMemberHistory h
		JOIN Channels c ON c.Id = h.ChannelId WHERE c.TeamId = $1 GROUP BY h.UserId, h.ChannelId`, w.target.Id)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var key string
		var count int
		if err := rows.Scan(&key, &count); err != nil {
			t.Fatal(err)
		}
		joins[key] = count
	}
	_ = rows.Close()
	var problems []string
	for _, u := range w.users {
		if dms[u.Id] != 1 {
			problems = append(problems, fmt.Sprintf("%s: %d welcome DMs", u.Username, dms[u.Id]))
		}
		if joins[u.Id+":"+w.channel.Id] != 1 {
			problems = append(problems, fmt.Sprintf("%s: joined the target channel %d times", u.Username, joins[u.Id+":"+w.channel.Id]))
		}
	}
	for key, count := range joins {
		if count != 1 {
			problems = append(problems, fmt.Sprintf("membership %s joined %d times", key, count))
		}
	}
	if len(problems) > 0 {
		first := strings.Join(problems[:min(5, len(problems))], "; ")
		t.Errorf("wave %s of %d users: %d problems, first: %s", w.id, n, len(problems), first)
	}
}

func TestWaveSpreadOverTwoNodes(t *testing.T) {
	t0 := time.Now()
	second, admin2 := startSecondNode(t, false)
	nodes := []clusterNode{
		{name: "node 1", base: env.s.URL, token: env.adminClient.AuthToken},
		{name: "node 2", base: second.URL, token: admin2.AuthToken},
	}
	for i := range nodes {
		nodes[i].nodeID = nodeIDAt(t, nodes[i].base, nodes[i].token)
	}
	if nodes[0].nodeID == nodes[1].nodeID {
		t.Fatalf("both plugin processes report node id %s", nodes[0].nodeID)
	}
	t.Logf("second server %s up with the plugin in %s; node ids %s, %s", second.URL, time.Since(t0).Round(time.Millisecond),
		nodes[0].nodeID, nodes[1].nodeID)

	t.Run("two waves at once, one started on each node", func(t *testing.T) {
		waves := []clusterWave{newClusterWave(t, 150), newClusterWave(t, 150)}
		t1 := time.Now()
		var wg sync.WaitGroup
		for i, w := range waves {
			wg.Go(func() { w.start(t, nodes[i]) })
		}
		wg.Wait()
		var all []waveShardRecord
		for _, w := range waves {
			progress := w.waitDone(t, 90*time.Second)
			w.checkOnce(t, progress)
			shards := waveShards(t, w.id)
			all = append(all, shards...)
			t.Logf("wave %s: %+v by node %v", w.id, progress.Counts, doneByNode(shards))
		}
		done := doneByNode(all)
		for _, node := range nodes {
			if done[node.nodeID] == 0 {
				t.Errorf("%s (%s) checkpointed no user of the two waves: %v", node.name, node.nodeID, done)
			}
		}
		a, b := waveProgressOf(t, nodes[0].token, waves[0].id), waveProgressOf(t, nodes[0].token, waves[1].id)
		if *a.StartedAt >= *b.FinishedAt || *b.StartedAt >= *a.FinishedAt {
			t.Errorf("the waves did not run at the same time: %+v, %+v", a, b)
		}
		t.Logf("two waves of 150 users at once on two nodes in %s", time.Since(t1).Round(time.Millisecond))
	})

	t.Run("the second node dies mid-shard; the first takes its shard over when the lock expires", func(t *testing.T) {
		w := newClusterWave(t, 400)
		t1 := time.Now()
		w.start(t, nodes[0])

		// Wait until node 2 has checkpointed users of a shard it still holds, and kill it there.
		var held waveShardRecord
		deadline := time.Now().Add(60 * time.Second)
		for held.Key == "" {
			for _, s := range waveShards(t, w.id) {
				ownedBy2 := strings.HasPrefix(s.Owner, nodes[1].nodeID+":")
				if ownedBy2 && s.DoneBy[nodes[1].nodeID] > 0 && s.Cursor < shardEnd(t, s, len(w.users)) {
					held = s
				}
			}
			if time.Now().After(deadline) {
				t.Fatalf("node 2 never worked a shard of the wave: %+v", waveShards(t, w.id))
			}
			time.Sleep(100 * time.Millisecond)
		}
		pids := pluginProcessesIn(second.DataDir)
		if len(pids) != 1 {
			t.Fatalf("want one plugin process on node 2, found %v", pids)
		}
		if err := syscall.Kill(pids[0], syscall.SIGKILL); err != nil {
			t.Fatal(err)
		}
		killedAt := time.Since(t1)
		// No restart by the server's health check: node 2 stays down.
		setPluginEnabled(t, admin2, false)
		if slices.Contains(pluginProcessesIn(second.DataDir), pids[0]) {
			t.Fatalf("plugin process %d of node 2 still alive", pids[0])
		}
		t.Logf("killed node 2's plugin (pid %d) at %s in shard %s (cursor %d, %d of its users checkpointed)",
			pids[0], killedAt.Round(time.Millisecond), held.Key, held.Cursor, held.DoneBy[nodes[1].nodeID])

		progress := w.waitDone(t, 150*time.Second)
		w.checkOnce(t, progress)
		shards := waveShards(t, w.id)
		done := doneByNode(shards)
		for _, node := range nodes {
			if done[node.nodeID] == 0 {
				t.Errorf("%s (%s) checkpointed no user: %v", node.name, node.nodeID, done)
			}
		}
		for _, s := range shards {
			if s.Key == held.Key && s.DoneBy[nodes[0].nodeID] == 0 {
				t.Errorf("the shard node 2 died in was not finished by node 1: %+v", s)
			}
		}
		took := time.Since(t1).Round(time.Millisecond)
		t.Logf("wave of 400 users: %+v in %s; users checkpointed per node %v", progress.Counts, took, done)
	})
}
