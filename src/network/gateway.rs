//! Which of a container's networks is its way out: docker's choice of the
//! default route (gateway priority, internal networks, the first name),
//! made again whenever the container's networks change.

use std::net::IpAddr;
use std::path::Path;

use crate::error::Result;

/// One of the container's networks, as the choice sees it.
#[derive(Debug, Clone, Copy)]
pub(super) struct Way<'a> {
    pub name: &'a str,
    pub ifname: &'a str,
    pub gateway: Option<&'a str>,
    pub gateway6: Option<&'a str>,
    pub gw_priority: i64,
    pub internal: bool,
}

/// docker's choice of the default route among the container's networks,
/// for each address family (docker 29.4's rule; 28 let a dual-stack
/// network win both families): in the order of the highest gateway
/// priority, then the non-internal, then those with gateways of both
/// families, then the first name, the first network with a gateway of
/// that family; an internal network never routes out. Set in `netns`
/// (CNI's bridge leaves a default route per network, the first first).
pub(super) fn route_default(netns: &Path, ways: &[Way]) -> Result<()> {
    let families: [Gateway; 2] = [|w| w.gateway, |w| w.gateway6];
    for family in families {
        if let Some((w, gw)) = default_gateway(ways, family) {
            super::inside::set_default_route(netns, w.ifname, gw).map_err(|e| {
                let at = netns.display();
                crate::error::Error::io(format!("routing {at} through {gw} ({})", w.name), e)
            })?;
        }
    }
    Ok(())
}

/// A network's gateway of one address family.
type Gateway = for<'a> fn(&Way<'a>) -> Option<&'a str>;

fn default_gateway<'a>(ways: &[Way<'a>], gateway: Gateway) -> Option<(Way<'a>, IpAddr)> {
    let both = |w: &Way| usize::from(w.gateway.is_some()) + usize::from(w.gateway6.is_some());
    let mut order: Vec<&Way> = ways.iter().collect();
    order.sort_by(|a, b| {
        (b.gw_priority.cmp(&a.gw_priority))
            .then_with(|| a.internal.cmp(&b.internal))
            .then_with(|| both(b).cmp(&both(a)))
            .then_with(|| a.name.cmp(b.name))
    });
    let w = *order
        .into_iter()
        .find(|w| !w.internal && gateway(w).is_some())?;
    Some((w, gateway(&w)?.parse().ok()?))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn on(
        name: &'static str,
        gateway: &'static str,
        gw_priority: i64,
        internal: bool,
    ) -> Way<'static> {
        Way {
            name,
            ifname: name,
            gateway: Some(gateway),
            gateway6: None,
            gw_priority,
            internal,
        }
    }

    #[test]
    fn the_default_route_is_the_highest_priority_then_the_first_name() {
        let v4: Gateway = |w| w.gateway;
        let v6: Gateway = |w| w.gateway6;
        let chosen = |ways: &[Way]| default_gateway(ways, v4).map(|(w, _)| w.name.to_string());
        let zz = on("zz", "10.1.0.1", 0, false);
        let aa = on("aa", "10.2.0.1", 0, false);
        assert_eq!(chosen(&[zz, aa]).as_deref(), Some("aa"));
        let zz_first = on("zz", "10.1.0.1", 5, false);
        assert_eq!(chosen(&[aa, zz_first]).as_deref(), Some("zz"));
        let below = on("zz", "10.1.0.1", -1, false);
        assert_eq!(
            chosen(&[below, on("mm", "10.3.0.1", 0, false)]).as_deref(),
            Some("mm")
        );
        // An internal network never routes out, whatever its priority.
        let internal = on("aa", "10.2.0.1", 9, true);
        assert_eq!(chosen(&[internal, zz]).as_deref(), Some("zz"));
        assert_eq!(chosen(&[internal]), None);
        // Each family on its own: no IPv6 gateway, no IPv6 route.
        assert!(default_gateway(&[zz, aa], v6).is_none());
    }
}
