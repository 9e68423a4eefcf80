// swagger-ui-dist ships no types: the part of Swagger UI's configuration this page uses
// (https://swagger.io/docs/open-source-tools/swagger-ui/usage/configuration/).
declare module "swagger-ui-dist/swagger-ui-es-bundle.js" {
  export interface SwaggerUIOptions {
    domNode: HTMLElement;
    url: string;
    deepLinking?: boolean;
    docExpansion?: "list" | "full" | "none";
    defaultModelsExpandDepth?: number;
    displayRequestDuration?: boolean;
    filter?: boolean;
    tryItOutEnabled?: boolean;
    validatorUrl?: string | null;
    onComplete?: () => void;
  }

  const SwaggerUIBundle: (options: SwaggerUIOptions) => unknown;
  export default SwaggerUIBundle;
}
