/* SPDX-License-Identifier: MIT */
/* Finding and booting the hardware image under QEMU (see qemu.h). */
#define _POSIX_C_SOURCE 200809L
#include "qemu.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

const char *vx_qemu_default_image(void)
{
	return VXEMU_HW_IMAGE;
}

static bool readable_file(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 && S_ISREG(st.st_mode) && access(path, R_OK) == 0;
}

int vx_qemu_locate(const char *image, struct vx_qemu *q, char *err, size_t errlen)
{
	/* The launcher honours QEMU_SYSTEM; look for the same program it will run. */
	const char *name = getenv("QEMU_SYSTEM");

	memset(q, 0, sizeof(*q));
	if (!name || !*name)
		name = "qemu-system-x86_64";
	if (strchr(name, '/') ? access(name, X_OK) != 0
			      : !vx_find_in_path(name, q->qemu, sizeof(q->qemu))) {
		snprintf(err, errlen, "%s is not installed or not in PATH "
			 "(Debian package qemu-system-x86)", name);
		return -1;
	}
	if (strchr(name, '/'))
		snprintf(q->qemu, sizeof(q->qemu), "%s", name);
	if (!readable_file(VXEMU_RUN_QEMU)) {
		snprintf(err, errlen, "the QEMU launcher %s is missing", VXEMU_RUN_QEMU);
		return -1;
	}
	snprintf(q->script, sizeof(q->script), "%s", VXEMU_RUN_QEMU);
	if (!image)
		image = vx_qemu_default_image();
	if (!readable_file(image)) {
		snprintf(err, errlen,
			 "the hardware image %s does not exist%s", image,
			 image == vx_qemu_default_image()
				 ? " (build it with the dev preset, or pass --image PATH)"
				 : "");
		return -1;
	}
	if (strlen(image) >= sizeof(q->image)) {
		snprintf(err, errlen, "the image path is too long");
		return -1;
	}
	snprintf(q->image, sizeof(q->image), "%s", image);
	return 0;
}

int vx_qemu_boot(const struct vx_qemu *q, const char *cmdline, double timeout_s,
		 struct vx_proc_result *r)
{
	/* Through sh, so the launcher needs no execute bit in a fresh checkout. */
	char *argv[] = { "/bin/sh", (char *)q->script, (char *)q->image, (char *)cmdline, NULL };

	return vx_proc_run(argv, timeout_s, r);
}
