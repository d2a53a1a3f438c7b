"""FortiADC Ingress Controller (``fortinet.com/fadc-ingress-controller``): its unprefixed keys, known by name."""

from __future__ import annotations

from ing2gw.catalogue import CatalogueProvider, Row, build_registry

ROWS: tuple[Row, ...] = (
    ("fortiadc-ip", "NONE", "Address of the FortiADC to program."),
    ("fortiadc-admin-port", "NONE", "Admin port of the FortiADC."),
    ("fortiadc-login", "NONE", "Secret with the FortiADC login."),
    ("fortiadc-vdom", "NONE", "Virtual domain on the FortiADC."),
    ("fortiadc-ctrl-log", "NONE", "Controller logging on the FortiADC."),
    ("virtual-server-ip", "CORE Gateway spec.addresses", "Virtual server IP."),
    ("virtual-server-port", "CORE listener port", "Virtual server port."),
    ("virtual-server-interface", "NONE", "ADC interface of the virtual server."),
    ("virtual-server-addr-type", "NONE", "Address type of the virtual server."),
    ("virtual-server-traffic-group", "NONE", "Traffic group of the virtual server."),
    ("virtual-server-nat-src-pool", "NONE", "Source NAT pool."),
    ("load-balance-method", "IMPL", "Load-balancing method."),
    ("load-balance-profile", "CORE listener protocol", "HTTP or HTTPS profile."),
    ("virtual-server-persistence", "EXP sessionPersistence", "Session persistence method."),
    ("virtual-server-waf-profile", "IMPL", "WAF profile."),
    ("virtual-server-av-profile", "IMPL", "Antivirus profile."),
    ("virtual-server-dos-profile", "IMPL", "DoS protection profile."),
    ("virtual-server-captcha-profile", "IMPL", "CAPTCHA profile."),
    ("virtual-server-fortiview", "NONE", "FortiView statistics."),
    ("virtual-server-traffic-log", "NONE", "Traffic logging."),
    ("virtual-server-wccp", "NONE", "WCCP."),
    ("virtual-server-fortigslb-publicip-type", "NONE", "FortiGSLB public IP type."),
    ("virtual-server-fortigslb-publicip", "NONE", "FortiGSLB public IP."),
    ("virtual-server-fortigslb-1clickgslb", "NONE", "FortiGSLB one-click GSLB."),
    ("virtual-server-fortigslb-hostname", "NONE", "FortiGSLB hostname."),
    ("virtual-server-fortigslb-domainname", "NONE", "FortiGSLB domain name."),
    ("health-check-ctrl", "IMPL", "On a Service: turns pool health checks on."),
    ("health-check-relation", "IMPL", "On a Service: AND or OR of several health checks."),
    ("health-check-list", "IMPL", "On a Service: health checks to run."),
    ("real-server-ssl-profile", "IMPL", "On a Service: TLS profile towards the pods."),
    ("overlay_tunnel", "IMPL", "On a Service: overlay tunnel for ClusterIP backends."),
)


class FortiADCProvider(CatalogueProvider):
    name = "fortiadc"
    title = "FortiADC Ingress Controller"
    controllers = ("fortinet.com/fadc-ingress-controller",)
    class_names = ("fadc-ingress-controller",)
    docs_url = "https://docs.fortinet.com/document/fortiadc/7.0.0/fortiadc-ingress-controller/742835/"
    notes = (
        "FortiADC's keys have no prefix, so ing2gw cannot tell an unknown FortiADC key from any other "
        "annotation. It has no Gateway API implementation."
    )


PROVIDER = FortiADCProvider(build_registry("", ROWS, family="fortiadc"))
