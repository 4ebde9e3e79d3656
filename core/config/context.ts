import { ConfigError } from "../errors.ts";
import type { RouterConfig } from "../router/types.ts";

/** A place in the config that names a cluster, checked once every cluster has been read. */
export interface ClusterRef {
  readonly path: string;
  readonly cluster: string;
}

/** A place in the config that names a router config, checked once every router has been read. */
export interface RouterRef {
  readonly path: string;
  readonly router: string;
}

/**
 * What the readers of one config file share: the warnings so far, the router configs defined,
 * and the cluster and router references to check at the end. Filters parse before clusters are
 * known (MOSN files list servers first), and a `proxy` filter may come before the
 * `connection_manager` filter or server that defines its router, so a reference is recorded here
 * rather than checked on the spot.
 */
export class ConfigContext {
  readonly warnings: string[] = [];
  readonly clusterRefs: ClusterRef[] = [];
  readonly routerRefs: RouterRef[] = [];
  /** Router configs by `router_config_name`, from `servers[].routers[]` and `connection_manager` filters. */
  readonly routers = new Map<string, { readonly path: string; readonly router: RouterConfig }>();

  /** Records a one-line warning about the field at `path`; loading continues. */
  warn(path: string, message: string): void {
    this.warnings.push(path === "" ? message : `${path}: ${message}`);
  }

  /** Records that the string at `path` must name a configured cluster. */
  referenceCluster(path: string, cluster: string): void {
    this.clusterRefs.push({ path, cluster });
  }

  /**
   * Defines a router config, `path` naming its `router_config_name`. Names are global, as in
   * MOSN's router manager: a second config of the same name (in any server or filter) is an error.
   */
  defineRouter(path: string, router: RouterConfig): void {
    const earlier = this.routers.get(router.name);
    if (earlier !== undefined) {
      throw new ConfigError(path, `duplicate router_config_name ${JSON.stringify(router.name)} (also ${earlier.path})`);
    }
    this.routers.set(router.name, { path, router });
  }

  /** Records that the string at `path` must name a router config (a `proxy` filter's router_config_name). */
  referenceRouter(path: string, router: string): void {
    this.routerRefs.push({ path, router });
  }
}

/** `base.key`, or `key` at the top level. */
export function fieldPath(base: string, key: string): string {
  return base === "" ? key : `${base}.${key}`;
}

/** `base[index]`. */
export function indexPath(base: string, index: number): string {
  return `${base}[${index}]`;
}
