import helmet from "helmet";

/**
 * Helmet's security headers with a Content-Security-Policy for a product that must run on an intranet:
 * everything from this origin, nothing from any other host, no inline script. MapLibre GL starts its
 * workers from blob: URLs and draws images from data:/blob: URLs, so those are allowed there and only there.
 */
export const securityHeaders = () =>
  helmet({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        scriptSrcAttr: ["'none'"],
        styleSrc: ["'self'"],
        imgSrc: ["'self'", "data:", "blob:"],
        fontSrc: ["'self'"],
        connectSrc: ["'self'"],
        workerSrc: ["'self'", "blob:"],
        childSrc: ["'self'", "blob:"],
        objectSrc: ["'none'"],
        baseUri: ["'self'"],
        formAction: ["'self'"],
        frameAncestors: ["'self'"],
        // no upgrade-insecure-requests: an intranet server on plain http://10.x would break its own page
      },
    },
  });
