"""AWS Load Balancer Controller (``ingress.k8s.aws/alb``): its ``alb.ingress.kubernetes.io/*`` keys, known by name."""

from __future__ import annotations

from ing2gw.catalogue import CatalogueProvider, Row, build_registry

PREFIX = "alb.ingress.kubernetes.io/"

_HEALTH = ("port", "protocol", "path", "interval-seconds", "timeout-seconds", "healthy-threshold-count",
           "unhealthy-threshold-count", "success-codes")

ROWS: tuple[Row, ...] = (
    ("group.name", "CORE shared Gateway", "Joins Ingresses into one ALB (an IngressGroup)."),
    ("group.order", "NONE", "Order of this Ingress's rules inside the group."),
    ("load-balancer-name", "IMPL LoadBalancerConfiguration", "Name of the ALB."),
    ("scheme", "IMPL LoadBalancerConfiguration", "internal or internet-facing load balancer."),
    ("ip-address-type", "IMPL LoadBalancerConfiguration", "IPv4 or dual-stack addresses."),
    ("subnets", "IMPL LoadBalancerConfiguration", "Subnets of the load balancer."),
    ("security-groups", "IMPL LoadBalancerConfiguration", "Security groups of the load balancer."),
    ("manage-backend-security-group-rules", "IMPL LoadBalancerConfiguration", "Lets the controller manage backend security group rules."),
    ("inbound-cidrs", "IMPL LoadBalancerConfiguration", "Client CIDRs the security group admits."),
    ("security-group-prefix-lists", "IMPL LoadBalancerConfiguration", "Prefix lists the security group admits."),
    ("customer-owned-ipv4-pool", "IMPL LoadBalancerConfiguration", "Outposts customer-owned IP pool."),
    ("ipam-ipv4-pool-id", "IMPL LoadBalancerConfiguration", "IPAM pool for addresses."),
    ("load-balancer-attributes", "IMPL LoadBalancerConfiguration", "ELB attributes such as idle timeout and access logs."),
    ("minimum-load-balancer-capacity", "IMPL LoadBalancerConfiguration", "Reserved capacity units."),
    ("tags", "IMPL LoadBalancerConfiguration", "AWS tags of created resources."),
    ("wafv2-acl-arn", "IMPL LoadBalancerConfiguration", "WAFv2 web ACL by ARN."),
    ("wafv2-acl-name", "IMPL LoadBalancerConfiguration", "WAFv2 web ACL by name."),
    ("waf-acl-id", "NONE", "WAF Classic web ACL (move to WAFv2 first)."),
    ("web-acl-id", "NONE", "Older name of waf-acl-id."),
    ("shield-advanced-protection", "IMPL LoadBalancerConfiguration", "Turns on Shield Advanced."),
    ("listen-ports", "CORE Gateway listeners", "Listener protocols and ports as JSON."),
    ("ssl-redirect", "CORE RequestRedirect", "Redirects HTTP to this HTTPS port."),
    ("certificate-arn", "IMPL LoadBalancerConfiguration", "ACM certificates of the HTTPS listeners."),
    ("create-acm-cert", "NONE", "Lets the controller create ACM certificates."),
    ("acm-pca-arn", "NONE", "Private CA for created ACM certificates."),
    ("ssl-policy", "IMPL LoadBalancerConfiguration", "TLS security policy of the listeners."),
    ("mutual-authentication", "IMPL LoadBalancerConfiguration", "Client certificate verification or passthrough."),
    ("listener-attributes.<protocol-port>", "IMPL LoadBalancerConfiguration", "Attributes of one listener."),
    ("target-type", "IMPL TargetGroupConfiguration", "Registers pods by IP or nodes by instance."),
    ("backend-protocol", "IMPL TargetGroupConfiguration", "HTTP or HTTPS to targets."),
    ("backend-protocol-version", "IMPL TargetGroupConfiguration", "HTTP1, HTTP2 or GRPC to targets."),
    ("target-group-attributes", "IMPL TargetGroupConfiguration", "Stickiness, deregistration delay, slow start, algorithm."),
    *((f"healthcheck-{k}" if "threshold" not in k and k != "success-codes" else k,
       "IMPL TargetGroupConfiguration", f"Target health check: {k.replace('-', ' ')}.") for k in _HEALTH),
    ("target-node-labels", "IMPL TargetGroupConfiguration", "Which nodes register in instance mode."),
    ("target-control-port.<service>.<port>", "IMPL TargetGroupConfiguration", "Port of the ALB target-control agent."),
    ("multi-cluster-target-group", "NONE", "Shares the target group across clusters."),
    ("auth-type", "IMPL ListenerRuleConfiguration", "Authenticates with OIDC or Cognito on the rule."),
    ("auth-idp-cognito", "IMPL ListenerRuleConfiguration", "Cognito identity provider settings."),
    ("auth-idp-oidc", "IMPL ListenerRuleConfiguration", "OIDC identity provider settings."),
    ("auth-on-unauthenticated-request", "IMPL ListenerRuleConfiguration", "authenticate, allow or deny anonymous requests."),
    ("auth-scope", "IMPL ListenerRuleConfiguration", "Scopes requested from the identity provider."),
    ("auth-session-cookie", "IMPL ListenerRuleConfiguration", "Name of the auth session cookie."),
    ("auth-session-timeout", "IMPL ListenerRuleConfiguration", "Lifetime of the auth session."),
    ("jwt-validation", "IMPL ListenerRuleConfiguration", "Validates JWTs on the rule."),
    ("actions.<name>", "CORE backendRefs weight / RequestRedirect", "Custom action (weighted forward, redirect, fixed response) used as a backend."),
    ("conditions.<name>", "CORE header / method / query matches", "Extra rule conditions (headers, method, path, query, source IP)."),
    ("transforms.<name>", "CORE URLRewrite", "Rewrites URL or Host before forwarding."),
    ("use-regex-path-match", "CORE RegularExpression", "Reads paths as regular expressions."),
    ("enable-frontend-nlb", "IMPL Gateway chaining", "Puts an NLB in front of the ALB."),
    ("frontend-nlb-scheme", "IMPL Gateway chaining", "Scheme of the front NLB."),
    ("frontend-nlb-subnets", "IMPL Gateway chaining", "Subnets of the front NLB."),
    ("frontend-nlb-security-groups", "IMPL Gateway chaining", "Security groups of the front NLB."),
    ("frontend-nlb-listener-port-mapping", "IMPL Gateway chaining", "Port mapping from the NLB to the ALB."),
    *((f"frontend-nlb-healthcheck-{k}", "IMPL Gateway chaining", f"Front NLB health check: {k.replace('-', ' ')}.")
      for k in _HEALTH),
    ("frontend-nlb-tags", "IMPL Gateway chaining", "Tags of the front NLB."),
    ("frontend-nlb-eip-allocations", "IMPL Gateway chaining", "Elastic IPs of the front NLB."),
    ("frontend-nlb-attributes", "IMPL Gateway chaining", "Attributes of the front NLB."),
)


class AWSALBProvider(CatalogueProvider):
    name = "aws-alb"
    title = "AWS Load Balancer Controller"
    controllers = ("ingress.k8s.aws/alb",)
    class_names = ("alb",)
    docs_url = "https://kubernetes-sigs.github.io/aws-load-balancer-controller/latest/guide/ingress/annotations/"
    gateway_classes = ("gateway.k8s.aws/alb",)
    notes = (
        "IngressClass `parameters` may name an IngressClassParams object, which wins over annotations. The "
        "vendor's Gateway API support (`gateway.k8s.aws/alb`) takes most settings through "
        "LoadBalancerConfiguration, TargetGroupConfiguration and ListenerRuleConfiguration; it lacks "
        "ResponseHeaderModifier, RequestMirror, CORS, HTTPRoute timeouts and BackendTLSPolicy."
    )


PROVIDER = AWSALBProvider(build_registry(PREFIX, ROWS, family="aws-alb"))
