/* SPDX-License-Identifier: MIT */
/*
 * make_seeds DIR — writes the binary seed corpora, DIR/<target>/<name>,
 * from real cases (docs/fuzzing.md): the decoder's from the MOV forms in
 * the conformance guests' own code, the fetch's from page tables of each
 * paging mode, the virtual APIC's from what its scenarios do, and VMRUN's
 * from the guests tests/emu builds on the model. The text corpora (costs,
 * ktap, opts) are kept as written. Run it again when an input layout
 * (inputs.h) or the guests change.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>

#include "make_seeds.h"

static const char *outdir;

FILE *seed_open(const char *target, const char *name)
{
	char path[1024];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", outdir, target);
	if (mkdir(path, 0777) != 0 && errno != EEXIST) {
		perror(path);
		exit(1);
	}
	snprintf(path, sizeof(path), "%s/%s/%s", outdir, target, name);
	if (!(f = fopen(path, "wb"))) {
		perror(path);
		exit(1);
	}
	return f;
}

void seed_close(FILE *f)
{
	if (ferror(f) || fclose(f) != 0) {
		perror("writing a seed");
		exit(1);
	}
}

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: make_seeds DIR\n");
		return 2;
	}
	outdir = argv[1];
	if (mkdir(outdir, 0777) != 0 && errno != EEXIST) {
		perror(outdir);
		return 1;
	}
	seeds_insn_decode();
	seeds_insn_fetch();
	seeds_vlapic();
	seeds_vmrun();
	return 0;
}
