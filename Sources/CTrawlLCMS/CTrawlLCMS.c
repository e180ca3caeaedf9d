#include "CTrawlLCMS.h"

#include <lcms2_plugin.h>
#include <string.h>

// The colour spaces a transform runs from and to, as lcms decides them when it checks a
// transform's channel counts: a profile that follows a connection space (XYZ or Lab) is
// used in its output direction, any other in its input direction.
static int transform_spaces(cmsUInt32Number count, cmsHPROFILE profiles[],
                            cmsColorSpaceSignature *entry, cmsColorSpaceSignature *exit) {
    if (count == 0 || profiles[0] == NULL) return 0;
    cmsColorSpaceSignature post = cmsGetColorSpace(profiles[0]);
    for (cmsUInt32Number i = 0; i < count; i++) {
        cmsHPROFILE profile = profiles[i];
        if (profile == NULL) return 0;
        cmsColorSpaceSignature in, out;
        cmsProfileClassSignature cls = cmsGetDeviceClass(profile);
        int input = post != cmsSigXYZData && post != cmsSigLabData;
        if (cls == cmsSigNamedColorClass) {
            in = cmsSig1colorData;
            out = count > 1 ? cmsGetPCS(profile) : cmsGetColorSpace(profile);
        } else if (input || cls == cmsSigLinkClass) {
            in = cmsGetColorSpace(profile);
            out = cmsGetPCS(profile);
        } else {
            in = cmsGetPCS(profile);
            out = cmsGetColorSpace(profile);
        }
        if (i == 0) *entry = in;
        post = out;
    }
    *exit = post;
    return 1;
}

// Whether the flat intents are in force. Rendering a page for OCR switches them off around
// the page, on the thread that draws it only: text read on other threads at the same time
// (in-process extraction) keeps the flat transforms.
static _Thread_local int flat_in_force = 1;

void trawl_lcms_set_flat(int on) { flat_in_force = on ? 1 : 0; }

// Links the profiles with one all-zero matrix of the right shape: every colour maps to 0.
// While the flat intents are switched off, lcms's own ICC linking does the work.
static cmsPipeline *flat_link(cmsContext context, cmsUInt32Number count, cmsUInt32Number intents[],
                              cmsHPROFILE profiles[], cmsBool bpc[], cmsFloat64Number adaptation[],
                              cmsUInt32Number flags) {
    if (!flat_in_force) return _cmsDefaultICCintents(context, count, intents, profiles, bpc, adaptation, flags);
    cmsColorSpaceSignature entry, exit;
    if (!transform_spaces(count, profiles, &entry, &exit)) return NULL;
    cmsUInt32Number rows = cmsChannelsOf(exit), cols = cmsChannelsOf(entry);
    if (rows == 0 || cols == 0 || rows > cmsMAXCHANNELS || cols > cmsMAXCHANNELS) return NULL;
    cmsFloat64Number zeros[cmsMAXCHANNELS * cmsMAXCHANNELS];
    memset(zeros, 0, sizeof zeros);
    cmsPipeline *lut = cmsPipelineAlloc(context, cols, rows);
    if (lut == NULL) return NULL;
    cmsStage *stage = cmsStageAllocMatrix(context, rows, cols, zeros, NULL);
    if (stage == NULL || !cmsPipelineInsertStage(lut, cmsAT_END, stage)) {
        if (stage != NULL) cmsStageFree(stage);
        cmsPipelineFree(lut);
        return NULL;
    }
    return lut;
}

// One plug-in entry per ICC intent poppler asks for; lcms searches plug-ins before its own.
static cmsPluginRenderingIntent flat_intents[4];

int trawl_lcms_use_flat_transforms(void) {
    static const cmsUInt32Number numbers[4] = {
        INTENT_PERCEPTUAL, INTENT_RELATIVE_COLORIMETRIC, INTENT_SATURATION, INTENT_ABSOLUTE_COLORIMETRIC,
    };
    for (int i = 0; i < 4; i++) {
        cmsPluginRenderingIntent *p = &flat_intents[i];
        memset(p, 0, sizeof *p);
        p->base.Magic = cmsPluginMagicNumber;
        p->base.ExpectedVersion = 2060;  // the intent plug-in API is unchanged since 2.6
        p->base.Type = cmsPluginRenderingIntentSig;
        p->base.Next = i < 3 ? &flat_intents[i + 1].base : NULL;
        p->Intent = numbers[i];
        p->Link = flat_link;
        strncpy(p->Description, "trawl: flat (text extraction only)", sizeof p->Description - 1);
    }
    return cmsPlugin(&flat_intents[0]) ? 1 : 0;
}

int trawl_lcms_transforms_are_flat(void) {
    cmsHPROFILE srgb = cmsCreate_sRGBProfile();
    if (srgb == NULL) return 0;
    cmsHTRANSFORM t = cmsCreateTransform(srgb, TYPE_RGB_8, srgb, TYPE_RGB_8, INTENT_RELATIVE_COLORIMETRIC, 0);
    cmsCloseProfile(srgb);
    if (t == NULL) return 0;
    cmsUInt8Number white[3] = {255, 255, 255}, out[3] = {1, 1, 1};
    cmsDoTransform(t, white, out, 1);
    cmsDeleteTransform(t);
    return out[0] == 0 && out[1] == 0 && out[2] == 0;
}
