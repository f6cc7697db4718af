import { z } from "zod";

/**
 * A cluster's name as the portal spells it: in the registry's `tenant.cluster`, in the
 * configuration (FLEETDECK_CLUSTERS, a kubeconfig file's name), in the URL's `cluster` filter.
 * One schema for all of them, so a name the configuration accepts is one the URL accepts.
 */
export const clusterNameSchema = z
  .string()
  .trim()
  .min(1, "Enter a cluster name.")
  .max(63, "A cluster name has at most 63 characters.")
  .regex(/^[a-z0-9]([a-z0-9.-]*[a-z0-9])?$/, "A cluster name uses lowercase letters, digits, dots and hyphens.");
