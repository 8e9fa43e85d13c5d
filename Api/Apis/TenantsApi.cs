using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http.HttpResults;
using Orchestrator.Api.Tenancy;
using Orchestrator.Api.Validation;
using Orchestrator.Grains.Delivery;
using Orchestrator.Grains.Storage;

namespace Orchestrator.Api.Apis;

/// <summary>
/// Tenants, their API keys and their webhook signing secrets. Admin credentials only. A new
/// key is shown once, in the answer that creates it; only its hash is kept.
/// </summary>
public static partial class TenantsApi
{
    public sealed record CreatedKey(Guid Id, string ApiKey);

    public sealed record CreatedTenant(string Id, CreatedKey Key, string WebhookSecret);

    public sealed record RotatedKey(Guid RevokedId, CreatedKey Key);

    public static RouteGroupBuilder MapTenantsApi(this IEndpointRouteBuilder routes)
    {
        var api = routes.MapGroup("/api/v1/admin/tenants").WithTags("Admin").RequireAuthorization(AdminAuthenticationHandler.PolicyName);
        api.MapGet("", List);
        api.MapPost("", Create).Accepts<TenantSettings>("application/json").ProducesValidationProblem();
        api.MapPut("/{tenantId}/settings", UpdateSettings).Accepts<TenantSettings>("application/json").ProducesValidationProblem();
        api.MapGet("/{tenantId}/keys", ListKeys);
        api.MapPost("/{tenantId}/keys", CreateKey);
        api.MapDelete("/{tenantId}/keys/{keyId:guid}", RevokeKey);
        api.MapPost("/{tenantId}/keys/{keyId:guid}/rotate", RotateKey);
        api.MapGet("/{tenantId}/webhook-secrets", ListSecrets);
        api.MapPost("/{tenantId}/webhook-secrets", AddSecret);
        api.MapDelete("/{tenantId}/webhook-secrets/{secretId:guid}", RevokeSecret);
        return api;
    }

    public static async Task<Ok<IReadOnlyList<TenantRow>>> List(TenantStore tenants, CancellationToken cancellationToken) =>
        TypedResults.Ok(await tenants.ListAsync(cancellationToken));

    public static async Task<IResult> Create(HttpRequest request, TenantStore tenants, WebhookSecretStore secrets, CancellationToken cancellationToken)
    {
        var (document, problem) = await JsonBody.ReadAsync(request, 16 * 1024, cancellationToken);
        if (problem is not null)
        {
            return problem;
        }
        using (document)
        {
            var errors = new FieldErrors();
            var id = document!.RootElement.ValueKind == JsonValueKind.Object && document.RootElement.TryGetProperty("id", out var idValue)
                && idValue.ValueKind == JsonValueKind.String ? idValue.GetString() : null;
            if (id is null || !TenantName().IsMatch(id))
            {
                errors.Add("id", "must be 1 to 64 letters, digits, '.', '_' or '-'");
            }
            var settings = ReadSettings(document.RootElement, errors);
            if (!errors.IsEmpty)
            {
                return Problems.Validation(errors);
            }
            if (!await tenants.CreateAsync(id!, settings, cancellationToken))
            {
                return TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "Tenant exists", detail: $"Tenant {id} exists already.");
            }
            var key = TenantStore.NewKey();
            var keyId = await tenants.AddKeyAsync(id!, key, cancellationToken);
            var secret = WebhookSigner.NewSecret();
            await secrets.AddAsync(id!, secret, cancellationToken);
            return TypedResults.Created($"/api/v1/admin/tenants/{id}", new CreatedTenant(id!, new CreatedKey(keyId, key), secret));
        }
    }

    public static async Task<IResult> UpdateSettings(string tenantId, HttpRequest request, TenantStore tenants, CancellationToken cancellationToken)
    {
        var (document, problem) = await JsonBody.ReadAsync(request, 16 * 1024, cancellationToken);
        if (problem is not null)
        {
            return problem;
        }
        using (document)
        {
            var errors = new FieldErrors();
            var settings = ReadSettings(document!.RootElement, errors);
            if (!errors.IsEmpty)
            {
                return Problems.Validation(errors);
            }
            return await tenants.UpdateSettingsAsync(tenantId, settings, cancellationToken)
                ? TypedResults.Ok(settings)
                : NoTenant(tenantId);
        }
    }

    public static async Task<IResult> ListKeys(string tenantId, TenantStore tenants, CancellationToken cancellationToken) =>
        await tenants.ExistsAsync(tenantId, cancellationToken)
            ? TypedResults.Ok(await tenants.ListKeysAsync(tenantId, cancellationToken))
            : NoTenant(tenantId);

    public static async Task<IResult> CreateKey(string tenantId, TenantStore tenants, CancellationToken cancellationToken)
    {
        if (!await tenants.ExistsAsync(tenantId, cancellationToken))
        {
            return NoTenant(tenantId);
        }
        var key = TenantStore.NewKey();
        return TypedResults.Ok(new CreatedKey(await tenants.AddKeyAsync(tenantId, key, cancellationToken), key));
    }

    public static async Task<IResult> RevokeKey(string tenantId, Guid keyId, TenantStore tenants, CancellationToken cancellationToken) =>
        await tenants.RevokeKeyAsync(tenantId, keyId, cancellationToken) ? TypedResults.NoContent() : NoKey();

    /// <summary>A new key for the tenant and the old one revoked, in one call.</summary>
    public static async Task<IResult> RotateKey(string tenantId, Guid keyId, TenantStore tenants, CancellationToken cancellationToken)
    {
        if (!await tenants.RevokeKeyAsync(tenantId, keyId, cancellationToken))
        {
            return NoKey();
        }
        var key = TenantStore.NewKey();
        return TypedResults.Ok(new RotatedKey(keyId, new CreatedKey(await tenants.AddKeyAsync(tenantId, key, cancellationToken), key)));
    }

    public static async Task<IResult> ListSecrets(string tenantId, TenantStore tenants, WebhookSecretStore secrets, CancellationToken cancellationToken) =>
        await tenants.ExistsAsync(tenantId, cancellationToken)
            ? TypedResults.Ok(await secrets.ActiveAsync(tenantId, cancellationToken))
            : NoTenant(tenantId);

    /// <summary>Adds a signing secret; deliveries are signed with every active one until the old is revoked.</summary>
    public static async Task<IResult> AddSecret(string tenantId, TenantStore tenants, WebhookSecretStore secrets, CancellationToken cancellationToken)
    {
        if (!await tenants.ExistsAsync(tenantId, cancellationToken))
        {
            return NoTenant(tenantId);
        }
        var secret = WebhookSigner.NewSecret();
        return TypedResults.Ok(new WebhookSecretRow(await secrets.AddAsync(tenantId, secret, cancellationToken), secret, DateTimeOffset.UtcNow));
    }

    public static async Task<IResult> RevokeSecret(string tenantId, Guid secretId, WebhookSecretStore secrets, CancellationToken cancellationToken) =>
        await secrets.RevokeAsync(tenantId, secretId, cancellationToken)
            ? TypedResults.NoContent()
            : TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Not found", detail: "No such active secret for this tenant.");

    private static TenantSettings ReadSettings(JsonElement body, FieldErrors errors)
    {
        int? Read(string name)
        {
            if (body.ValueKind != JsonValueKind.Object || !body.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
            {
                return null;
            }
            // TryGetInt32 throws on anything but a number, so a string here was a 500.
            if (value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var number) && number is >= 1 and <= 10_000_000)
            {
                return number;
            }
            errors.Add(name, "must be an integer from 1 to 10000000, or null for the default");
            return null;
        }
        return new TenantSettings(Read("rate_limit_per_second"), Read("rate_limit_burst"),
            Read("destination_concurrency"), Read("destination_rate_per_second"));
    }

    private static ProblemHttpResult NoTenant(string tenantId) =>
        TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Not found", detail: $"No tenant {tenantId}.");

    private static ProblemHttpResult NoKey() =>
        TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Not found", detail: "No such unrevoked key for this tenant.");

    [GeneratedRegex("^[A-Za-z0-9._-]{1,64}$")]
    private static partial Regex TenantName();
}
