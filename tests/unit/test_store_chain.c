/* Unit tests for the change log's hash chain: the SHA-256 written in the store against
 * the FIPS 180-4 / NIST test vectors (one block, two blocks, the padding edges, a million
 * bytes), and a row's hash as documented. */
#include "../../src/store_int.h"
#include "ragtrack/util.h"

#include "check.h"

#include <stdlib.h>
#include <string.h>

static void check_digest(const char *msg, size_t n, const char *want)
{
	char hex[65];
	store_sha256_hex(msg, n, hex);
	CHECK_STR(hex, want);
}

int main(void)
{
	check_digest("", 0, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
	check_digest("abc", 3, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
	const char *two = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
	check_digest(two, strlen(two), "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
	/* 55, 56 and 64 bytes: where the padding needs one block or two */
	check_digest("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", 55,
	             "9f4390f8d30c2dd92ec9f095b65e2b9ae9b0a925a5258e241c9f1e910f734318");
	check_digest("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", 56,
	             "b35439a4ac6f0948b6d6f9e3c6af0f5f590ce20f1bde7090ef7970686ec6738a");
	check_digest("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", 64,
	             "ffe054fe7ae0cb6dc65c3af9b61d5209f439851db43d0ba5997337df154668eb");
	char *million = xmalloc(1000000);
	memset(million, 'a', 1000000);
	check_digest(million, 1000000, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
	free(million);

	/* a row's hash: SHA-256 of the previous hash, then "|LEN:value" or "|-" per column */
	const char *v[CHAIN_COLUMNS] = { "3", "2016-06-30T12:00:00Z", "alice", "alice", "rag", "Green", "Red", "cli",
	                                 NULL, "1", NULL, NULL };
	char got[65], want[65];
	store_chain_hash("", v, got);
	const char *text = "|1:3|20:2016-06-30T12:00:00Z|5:alice|5:alice|3:rag|5:Green|3:Red|3:cli|-|1:1|-|-";
	store_sha256_hex(text, strlen(text), want);
	CHECK_STR(got, want);
	char next[65];
	store_chain_hash(got, v, next);
	CHECK(strcmp(next, got) != 0);                 /* the same content after another row */
	v[8] = "";                                     /* an empty reason is not a NULL one */
	store_chain_hash("", v, next);
	CHECK(strcmp(next, got) != 0);
	return check_report();
}
