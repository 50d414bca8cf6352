/* SPDX-License-Identifier: MIT */
/*
 * Booting the hardware image under QEMU TCG with SVM, through the launcher
 * that hw/ owns (hw/run-qemu.sh IMAGE CMDLINE), so vxemu and a person at a
 * shell boot it the same way.
 *
 * Who may include it: cli/, tests/.
 */
#ifndef VX_CLI_QEMU_H
#define VX_CLI_QEMU_H

#include <stddef.h>

#include "proc.h"

#define VX_PATH_MAX 4096

struct vx_qemu {
	char qemu[VX_PATH_MAX];   /* qemu-system-x86_64 found in $PATH */
	char script[VX_PATH_MAX]; /* the launcher */
	char image[VX_PATH_MAX];  /* the multiboot image */
};

/* The image this build makes. */
const char *vx_qemu_default_image(void);

/*
 * Finds QEMU, the launcher and the image (image NULL: the default). Returns
 * 0, or -1 with a sentence for the user in err saying what is missing.
 */
int vx_qemu_locate(const char *image, struct vx_qemu *q, char *err, size_t errlen);

/* Boots the image with this kernel command line; see vx_proc_run. */
int vx_qemu_boot(const struct vx_qemu *q, const char *cmdline, double timeout_s,
		 struct vx_proc_result *r);

#endif
