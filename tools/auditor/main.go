// Command auditor checks Front Door's audit log from outside, with Go's own transparency-log packages
// (golang.org/x/mod/sumdb/note and golang.org/x/mod/sumdb/tlog) and nothing of Front Door's: a checkpoint's
// signature, an event's inclusion proof, and that an older checkpoint the auditor kept is a prefix of a
// newer one. Every input is a file the audit API serves or the auditor kept.
//
//	go run . -key "$(cat verifier.key)" -checkpoint latest.note [-inclusion proof.json] [-old old.note -consistency c.json]
package main

import (
	"encoding/base64"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"strconv"
	"strings"

	"golang.org/x/mod/sumdb/note"
	"golang.org/x/mod/sumdb/tlog"
)

// checkpoint is a c2sp.org/tlog-checkpoint body: origin, size, base64 root.
type checkpoint struct {
	origin string
	size   int64
	root   tlog.Hash
}

func main() {
	key := flag.String("key", "", "the log's note verifier key (GET /audit/v1/public-key: note_verifier_key)")
	latest := flag.String("checkpoint", "", "a signed checkpoint note (GET /audit/v1/checkpoints/latest)")
	inclusion := flag.String("inclusion", "", "an inclusion proof (GET /audit/v1/proofs/inclusion/{event_id})")
	old := flag.String("old", "", "an older signed checkpoint note the auditor kept")
	consistency := flag.String("consistency", "", "a consistency proof old -> checkpoint (GET /audit/v1/proofs/consistency)")
	flag.Parse()
	verifier, err := note.NewVerifier(*key)
	check(err, "verifier key")
	now := open(verifier, read(*latest), *latest)
	fmt.Printf("checkpoint OK: %s size %d, signed by %s\n", now.origin, now.size, verifier.Name())
	if *inclusion != "" {
		var p struct {
			LeafIndex int64    `json:"leaf_index"`
			TreeSize  int64    `json:"tree_size"`
			LeafHash  string   `json:"leaf_hash"`
			Proof     []string `json:"proof"`
		}
		check(json.Unmarshal(read(*inclusion), &p), *inclusion)
		if p.TreeSize != now.size {
			fail("inclusion proof is against size %d, the checkpoint is size %d", p.TreeSize, now.size)
		}
		check(tlog.CheckRecord(hashes(p.Proof), now.size, now.root, p.LeafIndex, hash(p.LeafHash)), "inclusion")
		fmt.Printf("inclusion OK: leaf %d is in the tree of size %d\n", p.LeafIndex, now.size)
	}
	if *old != "" {
		before := open(verifier, read(*old), *old)
		var c struct {
			OldSize int64    `json:"old_size"`
			NewSize int64    `json:"new_size"`
			Proof   []string `json:"proof"`
		}
		check(json.Unmarshal(read(*consistency), &c), *consistency)
		if c.OldSize != before.size || c.NewSize != now.size {
			fail("consistency proof is %d -> %d, the checkpoints are %d -> %d", c.OldSize, c.NewSize, before.size, now.size)
		}
		check(tlog.CheckTree(hashes(c.Proof), now.size, now.root, before.size, before.root), "consistency")
		fmt.Printf("consistency OK: size %d is a prefix of size %d\n", before.size, now.size)
	}
}

// open verifies the note's signature and parses its checkpoint body.
func open(verifier note.Verifier, text []byte, name string) checkpoint {
	n, err := note.Open(text, note.VerifierList(verifier))
	check(err, name)
	lines := strings.SplitN(n.Text, "\n", 4)
	if len(lines) != 4 || lines[0] != verifier.Name() || lines[3] != "" {
		fail("%s: not a checkpoint of %s", name, verifier.Name())
	}
	size, err := strconv.ParseInt(lines[1], 10, 64)
	check(err, name+": size")
	return checkpoint{lines[0], size, hash(lines[2])}
}

func hash(b64 string) tlog.Hash {
	raw, err := base64.StdEncoding.DecodeString(b64)
	if err != nil || len(raw) != tlog.HashSize {
		fail("not a base64 SHA-256 hash: %q", b64)
	}
	var h tlog.Hash
	copy(h[:], raw)
	return h
}

func hashes(b64 []string) []tlog.Hash {
	out := make([]tlog.Hash, len(b64))
	for i, s := range b64 {
		out[i] = hash(s)
	}
	return out
}

func read(path string) []byte {
	data, err := os.ReadFile(path)
	check(err, path)
	return data
}

func check(err error, what string) {
	if err != nil {
		fail("%s: %v", what, err)
	}
}

func fail(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "FAILED: "+format+"\n", args...)
	os.Exit(1)
}
