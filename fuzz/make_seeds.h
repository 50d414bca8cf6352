/* SPDX-License-Identifier: MIT */
/* The seed generator's parts (make_seeds.c): one writer per fuzz target. */
#ifndef VX_FUZZ_MAKE_SEEDS_H
#define VX_FUZZ_MAKE_SEEDS_H

#include <stdio.h>

/* DIR/target/name, opened for writing (directories made); exits on failure. */
FILE *seed_open(const char *target, const char *name);
void seed_close(FILE *f);

void seeds_insn_decode(void); /* seeds_insn.c */
void seeds_insn_fetch(void);  /* seeds_insn.c */
void seeds_vlapic(void);      /* seeds_vlapic.c */
void seeds_vmrun(void);       /* seeds_vmrun.c */

#endif
