// The namespaces most checker files use, once for the project.
global using System.Globalization;
global using System.Numerics;
global using System.Runtime.CompilerServices;
global using System.Text.Json;
global using static ConvexProof.Checker.CertificateJson;
