/* SPDX-License-Identifier: MIT */
/*
 * QEMU TCG with SVM, the peer the benchmarks measure the model against: the
 * peer layer (peer.h) with QEMU's description.
 *
 * Who may include it: cli/, tests/.
 */
#ifndef VX_CLI_QEMU_H
#define VX_CLI_QEMU_H

#include "peer.h"

#endif
